"""An HPA scales a workload in the set whose containers request what it measures.

Utilization targets are percentages of the request: with no CPU request, a CPU target has
nothing to measure against and the HPA never scales.

Fails:

```yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: apii}
  minReplicas: 2
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
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - {name: api, image: ghcr.io/acme/api:1.0, resources: {requests: {cpu: 100m}}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map, containers, items
from .common import _spec, _target

ID = "hpa-target"
TITLE = "HPA targets an existing workload that requests the measured resources"
SEVERITY = "error"
REMEDIATION = "point scaleTargetRef at an existing workload whose containers request the measured resource"
SCOPE = "set"


def check(ctx):
    for res in ctx.of_kind("HorizontalPodAutoscaler"):
        ref, target = _target(res, ctx)
        if target is None:
            yield Found(res, f"scaleTargetRef {ref.get('kind')}/"
                        f"{ref.get('name')} is not in the set", path="spec.scaleTargetRef")
            continue
        for i, metric in items(_spec(res).get("metrics")):
            resource = as_map(metric.get("resource"))
            if metric.get("type") != "Resource" or as_map(resource.get("target")).get("type") != "Utilization":
                continue
            name = resource.get("name")
            for c, _path in containers(target, init=False):
                if name not in as_map(as_map(c.get("resources")).get("requests")):
                    yield Found(res, f"scales on {name} utilization but "
                                f"container {c.get('name')!r} of {target.ref()} requests no {name}",
                                path=f"spec.metrics[{i}]")
