"""An Ingress routes to Services in the set, on ports those Services have.

Fails:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
```

Passes:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  ports: [{name: http, port: 80}]
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    as_map,
    each,
    items,
)

ID = "ingress-backend"
TITLE = "Ingress backends name existing Services and ports"
SEVERITY = "error"
REMEDIATION = "name an existing Service and one of its ports (by number or name) in the backend"
SCOPE = "set"


def check(ctx):
    return each(ctx.of_kind("Ingress"), lambda ing: check_one(ing, ctx))


def check_one(ing, ctx):
    spec = as_map(ing.obj.get("spec"))
    backends = []
    if spec.get("defaultBackend"):
        backends.append((spec["defaultBackend"], "spec.defaultBackend"))
    for i, rule in items(spec.get("rules")):
        for j, item in items(as_map(rule.get("http")).get("paths")):
            backends.append((as_map(item.get("backend")), f"spec.rules[{i}].http.paths[{j}].backend"))
    for backend, path in backends:
        service = backend.get("service")
        if not isinstance(service, dict):
            continue  # a resource backend: not a Service
        svc = ctx.find("Service", service.get("name", ""), ing.namespace)
        if svc is None:
            yield Found(ing, f"backend Service "
                        f"{service.get('name')!r} is not in the set", path=f"{path}.service.name")
            continue
        port = as_map(service.get("port"))
        svc_ports = [p for p in (svc.obj.get("spec") or {}).get("ports") or [] if isinstance(p, dict)]
        if ("name" in port and port["name"] not in {p.get("name") for p in svc_ports}) or \
                ("number" in port and port["number"] not in {p.get("port") for p in svc_ports}):
            yield Found(ing, f"Service {svc.name!r} has no port "
                        f"{port.get('name', port.get('number'))!r}", path=f"{path}.service.port")
