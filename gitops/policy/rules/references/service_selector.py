"""A Service's selector matches the pods of a workload in the set.

A selector that matches nothing gives a Service with no endpoints: requests fail while every
object looks healthy. Services without a selector (manual endpoints) are skipped.

Fails:

```yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: apii}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```

Passes:

```yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```
"""
from __future__ import annotations

from ...api import (
    as_map,
    each,
)
from .common import _pods_selected, _selects_nothing

ID = "service-selector"
TITLE = "Service selectors match a workload's pods"
SEVERITY = "error"
REMEDIATION = "make the selector match the pod template labels of a workload in the namespace"
SCOPE = "set"


def check(ctx):
    return each(ctx.of_kind("Service"), lambda svc: check_one(svc, ctx))


def check_one(svc, ctx):
    selector = as_map(svc.obj.get("spec")).get("selector")
    if selector and not _pods_selected(ctx, svc.namespace, selector):
        yield from _selects_nothing(ctx, svc, selector, "spec.selector", "selector")
