"""A Service's target ports exist on the pods it selects.

A named `targetPort` no container declares, or a number no container exposes when containers
declare their ports, sends traffic nowhere.

Fails:

```yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: web}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0, ports: [{name: http, containerPort: 8080}]}]
```

Passes:

```yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0, ports: [{name: http, containerPort: 8080}]}]
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    WORKLOAD_KINDS,
    as_map,
    containers,
    each,
    items,
)
from .common import _pods_selected

ID = "service-ports"
TITLE = "Service target ports exist on the selected pods"
SEVERITY = "error"
REMEDIATION = "make targetPort a port number or a port name that the selected containers declare"
SCOPE = "set"


def check(ctx):
    return each(ctx.of_kind("Service"), lambda svc: check_one(svc, ctx))


def check_one(svc, ctx):
    spec = as_map(svc.obj.get("spec"))
    pods = _pods_selected(ctx, svc.namespace, spec.get("selector")) if spec.get("selector") else []
    if not pods or any(w.kind not in WORKLOAD_KINDS for w in pods):
        return  # nothing selected (service-selector says so), or an operator's pods: ports unknown
    ports = [p for w in pods for c, _ in containers(w, init=False) for _, p in items(c.get("ports"))]
    names, numbers = {p.get("name") for p in ports}, {p.get("containerPort") for p in ports}
    for i, port in items(spec.get("ports")):
        target = port.get("targetPort", port.get("port"))
        if (isinstance(target, str) and target not in names) or \
                (isinstance(target, int) and ports and target not in numbers):
            yield Found(svc, f"targetPort {target!r} is not a port "
                        "of the selected pods", path=f"spec.ports[{i}].targetPort")
