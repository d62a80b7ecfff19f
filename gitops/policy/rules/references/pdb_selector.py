"""A PodDisruptionBudget selects the pods of a workload in the set.

Fails:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: apii}}}
```

Passes:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```
"""
from __future__ import annotations

from ....findings import Found
from .common import _pods_selected

ID = "pdb-selector"
TITLE = "PodDisruptionBudgets select an existing workload"
SEVERITY = "error"
REMEDIATION = "make the selector match the pod template labels of a workload in the namespace"
SCOPE = "set"


def check(ctx):
    for pdb in ctx.of_kind("PodDisruptionBudget"):
        if not _pods_selected(ctx, pdb.namespace, (pdb.obj.get("spec") or {}).get("selector")):
            yield Found(pdb, "selector matches no pods of any workload in "
                        "the set", path="spec.selector")
