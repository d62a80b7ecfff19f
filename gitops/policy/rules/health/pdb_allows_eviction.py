"""A PodDisruptionBudget allows at least one eviction.

`maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` at or above the workload's
replicas (or its HPA minimum) blocks every node drain and cluster upgrade.

Fails:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
  maxUnavailable: 0
  selector: {matchLabels: {app: api}}
```

Passes:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: api}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    replicas,
)
from .common import REPLICATED

ID = "pdb-allows-eviction"
TITLE = "PodDisruptionBudgets do not block all evictions"
SEVERITY = "error"
REMEDIATION = "let at least one pod go: raise maxUnavailable above 0, or set minAvailable below the replicas"
KINDS = ("PodDisruptionBudget",)


def check(res, ctx):
    spec = res.obj.get("spec") or {}
    max_unavailable, min_available = spec.get("maxUnavailable"), spec.get("minAvailable")
    if max_unavailable in (0, "0%"):
        yield Found(res, "maxUnavailable 0 blocks every eviction",
                    path="spec.maxUnavailable")
    elif min_available == "100%":
        yield Found(res, "minAvailable 100% blocks every eviction",
                    path="spec.minAvailable")
    elif isinstance(min_available, int):
        for workload in ctx.selected(res.namespace, spec.get("selector"), *REPLICATED):
            count = replicas(workload, ctx)
            if min_available >= count:
                yield Found(res, f"minAvailable {min_available} "
                            f"is not below the {count} replicas of {workload.ref()}: no eviction is "
                            "allowed", path="spec.minAvailable")
