"""Containers listen on no privileged port (below 1024) (warning).

Binding a port below 1024 needs root or the NET_BIND_SERVICE capability, which a hardened
container drops; a process that starts anyway runs with more than it should. Listen on a high
port and let the Service map 80 or 443 to it.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: ghcr.io/acme/web:1.0, ports: [{containerPort: 80}]}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: ghcr.io/acme/web:1.0, ports: [{containerPort: 8080}]}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, is_windows, items

ID = "privileged-ports"
TITLE = "containers listen on no port below 1024"
SEVERITY = "warning"
REMEDIATION = "listen on a port of 1024 or above; map it in the Service"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    if is_windows(res):
        return
    for c, path in containers(res):
        for i, port in items(c.get("ports")):
            number = port.get("containerPort")
            if isinstance(number, int) and not isinstance(number, bool) and 0 < number < 1024:
                yield Found(res, f"container {c.get('name')!r} listens on privileged port {number}",
                            path=f"{path}.ports[{i}].containerPort")
