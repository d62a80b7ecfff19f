"""An HPA keeps at least `min` replicas (default 2; on in production in the presets).

An autoscaler allowed to go down to one pod brings back the single point of failure it
scaled away from.

Fails:

```yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 1
  maxReplicas: 6
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

ID = "hpa-min-replicas"
TITLE = "HPA minReplicas is at least `min`"
SEVERITY = "error"
REMEDIATION = "raise minReplicas to at least the rule's `min`"
KINDS = ("HorizontalPodAutoscaler",)
OPTIONS = {"min": 2}


def check(res, ctx):
    low, minimum = _spec(res).get("minReplicas", 1), ctx.options["min"]
    if isinstance(low, int) and low < minimum:
        yield Found(res, f"minReplicas {low}; at least {minimum} "
                    "required here", path="spec.minReplicas")
