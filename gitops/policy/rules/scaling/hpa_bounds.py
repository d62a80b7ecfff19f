"""An HPA's `minReplicas` is at least 1 and not above `maxReplicas`.

Fails:

```yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 5
  maxReplicas: 3
```

Passes:

```yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 6
```
"""
from __future__ import annotations

from ....findings import Found
from .common import _spec

ID = "hpa-bounds"
TITLE = "HPA minReplicas is at least 1 and at most maxReplicas"
SEVERITY = "error"
REMEDIATION = "set minReplicas between 1 and maxReplicas"
KINDS = ("HorizontalPodAutoscaler",)


def check(res, ctx):
    low, high = _spec(res).get("minReplicas", 1), _spec(res).get("maxReplicas")
    if isinstance(low, int) and low < 1:
        yield Found(res, f"minReplicas {low} is below 1", path="spec.minReplicas")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        yield Found(res, f"minReplicas {low} is above maxReplicas {high}",
                    path="spec.minReplicas")
