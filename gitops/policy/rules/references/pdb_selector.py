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

from ...api import (
    as_map,
    each,
    selects_every_pod,
)
from .common import _pods_selected, _selects_nothing

ID = "pdb-selector"
TITLE = "PodDisruptionBudgets select an existing workload"
SEVERITY = "error"
REMEDIATION = "make the selector match the pod template labels of a workload in the namespace"
SCOPE = "set"


def check(ctx):
    return each(ctx.of_kind("PodDisruptionBudget"), lambda pdb: check_one(pdb, ctx))


def check_one(pdb, ctx):
    selector = as_map(pdb.obj.get("spec")).get("selector")
    if not selects_every_pod(pdb) and not _pods_selected(ctx, pdb.namespace, selector):
        yield from _selects_nothing(ctx, pdb, selector, "spec.selector", "selector")
