"""No object uses an apiVersion removed in the target Kubernetes version.

The API server rejects it: the sync fails in the cluster, after merge. The target version is
`kubernetesVersion` in gitops.yaml.

Fails:

```yaml
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: api}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
```

Passes:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
```
"""
from __future__ import annotations

from ....findings import Found
from ....schema import deprecations
from .common import _minor, lifecycle

ID = deprecations.REMOVED
TITLE = "no apiVersion removed in the target Kubernetes version"
SEVERITY = deprecations.SEVERITY[ID]  # the schema pass reports the same facts
REMEDIATION = "move to the replacement apiVersion (and any fields that changed with it); the target version refuses this one"


def check(res, ctx):
    known = lifecycle(res.api_version, res.kind)
    if known and known.removed_in is not None and _minor(ctx.kubernetes_version) >= known.removed_in:
        yield Found(res, f"{res.api_version} {res.kind} was removed in "
                    f"Kubernetes 1.{known.removed_in} (target {ctx.kubernetes_version})", path="apiVersion",
                    hint=f"use {known.replacement}")
