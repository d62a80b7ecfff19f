"""A workload scaled by an HPA (or a KEDA ScaledObject, which drives one) does not also set `replicas`.

Each apply from Git resets the replica count to the fixed value, fighting the autoscaler; a
ScaledObject that scaled its workload to zero sees it brought back to the fixed count.

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 6
```

Passes:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
---
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
from .common import _spec, _target
from .keda import scaled_objects, target_ref

ID = "hpa-no-replicas"
TITLE = "workloads scaled by an HPA or a ScaledObject do not set replicas"
SEVERITY = "error"
REMEDIATION = "remove spec.replicas"
SCOPE = "set"


def check(ctx):
    for res in ctx.of_kind("HorizontalPodAutoscaler"):
        _, target = _target(res, ctx)
        if target is not None and "replicas" in _spec(target):
            yield Found(target, f"sets replicas while {res.ref()} "
                        "scales it", path="spec.replicas", hint="remove spec.replicas")
    for res in scaled_objects(ctx):
        target = ctx.find(*target_ref(res), res.namespace)
        if target is not None and "replicas" in _spec(target):
            yield Found(target, f"sets replicas while {res.ref()} scales it", path="spec.replicas",
                        hint="remove spec.replicas")
