"""A PodDisruptionBudget lets unhealthy pods be evicted (`unhealthyPodEvictionPolicy:
AlwaysAllow`) (warning).

Under the default (`IfHealthyBudget`), pods that are running but not ready count against the
budget: one crash-looping replica can block every node drain and cluster upgrade. AlwaysAllow
evicts pods that are not ready anyway (Kubernetes 1.27+, GA in 1.31).

Fails:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: api}}
```

Passes:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector: {matchLabels: {app: api}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map

ID = "pdb-unhealthy-eviction"
TITLE = "PodDisruptionBudgets let unhealthy pods be evicted"
SEVERITY = "warning"
REMEDIATION = "set spec.unhealthyPodEvictionPolicy: AlwaysAllow"
KINDS = ("PodDisruptionBudget",)


def check(res, ctx):
    if res.api_version == "policy/v1" and as_map(res.obj.get("spec")).get("unhealthyPodEvictionPolicy") != "AlwaysAllow":
        yield Found(res, "unhealthyPodEvictionPolicy is not AlwaysAllow: pods that are not ready block drains",
                    path="spec.unhealthyPodEvictionPolicy")
