"""A PodDisruptionBudget sets `minAvailable` or `maxUnavailable`.

With neither, the budget says nothing about how many pods a drain may take; it reads as
protection and gives none that anyone chose.

Fails:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
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
from ...api import as_map

ID = "pdb-has-policy"
TITLE = "PodDisruptionBudgets set minAvailable or maxUnavailable"
SEVERITY = "error"
REMEDIATION = "set maxUnavailable (usually 1) or minAvailable"
KINDS = ("PodDisruptionBudget",)


def check(res, ctx):
    spec = as_map(res.obj.get("spec"))
    if spec.get("minAvailable") is None and spec.get("maxUnavailable") is None:
        yield Found(res, "neither minAvailable nor maxUnavailable is set", path="spec")
