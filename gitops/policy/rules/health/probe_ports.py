"""Probes use ports the container declares.

A probe on a misspelled named port fails forever and the pod never becomes ready; a numeric
port missing from the container's declared ports is usually a leftover.

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
    readinessProbe: {httpGet: {path: /ready, port: web}}
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
    WORKLOAD_KINDS,
    containers,
    items,
)
from .common import PROBES, _probe_port

ID = "probe-ports"
TITLE = "probes target ports the container declares"
SEVERITY = "error"
REMEDIATION = "point the probe at a port the container declares, by number or by name"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res, init=False):
        ports = [p for _, p in items(c.get("ports"))]
        names = {p.get("name") for p in ports}
        numbers = {p.get("containerPort") for p in ports}
        for key in PROBES:
            probe = c.get(key)
            action, port = _probe_port(probe) if isinstance(probe, dict) else (None, None)
            if action is None:
                continue
            bad = (isinstance(port, str) and port not in names) or \
                  (isinstance(port, int) and ports and port not in numbers)
            if bad:
                yield Found(res, f"container {c.get('name')!r}: {key} "
                            f"uses port {port!r}, which the container does not declare",
                            path=f"{path}.{key}.{action}.port")
