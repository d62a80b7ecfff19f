"""Every serving container (one that declares ports) has a readiness probe.

Without one, a pod receives traffic as soon as its process starts, before it can answer, and
keeps receiving it when it stops answering.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    ports: [{name: http, containerPort: 8080}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    ports: [{name: http, containerPort: 8080}]
    readinessProbe: {httpGet: {path: /ready, port: http}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    containers,
)
from .common import LONG_RUNNING

ID = "readiness-probe"
TITLE = "every serving container has a readiness probe"
SEVERITY = "error"
REMEDIATION = "add a readiness probe that passes only when the container can serve"
KINDS = LONG_RUNNING


def check(res, ctx):
    for c, path in containers(res, init=False):
        if c.get("ports") and not c.get("readinessProbe"):
            yield Found(res, f"container {c.get('name')!r} serves "
                        "ports but has no readiness probe", path=f"{path}.readinessProbe",
                        hint="add a readiness probe that passes only when the container can serve")
