"""A StatefulSet names a headless Service in the set (`spec.serviceName`).

The Service gives each pod its stable DNS name; without it peers cannot find each other.

Fails:

```yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: ghcr.io/acme/db:1.0}]}
```

Passes:

```yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: ghcr.io/acme/db:1.0}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
```
"""
from __future__ import annotations

from ....findings import Found

ID = "statefulset-service"
TITLE = "StatefulSets name an existing headless Service"
SEVERITY = "error"
REMEDIATION = "set serviceName to a headless Service (clusterIP: None) in the namespace"
KINDS = ("StatefulSet",)


def check(res, ctx):
    name = (res.obj.get("spec") or {}).get("serviceName")
    svc = ctx.find("Service", name, res.namespace) if name else None
    if svc is None:
        yield Found(res, f"serviceName {name!r} names no Service in "
                    "the set", path="spec.serviceName")
    elif (svc.obj.get("spec") or {}).get("clusterIP") != "None":
        yield Found(res, f"Service {name!r} is not headless "
                    "(clusterIP: None)", path="spec.serviceName")
