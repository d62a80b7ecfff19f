"""Readiness and liveness probes are not identical.

With identical probes, a pod that is only busy is restarted at the same moment it is taken out
of the load balancer, turning a slowdown into a crash loop. Make liveness more lenient.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    readinessProbe: {httpGet: {path: /healthz, port: 8080}}
    livenessProbe: {httpGet: {path: /healthz, port: 8080}}
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
    readinessProbe: {httpGet: {path: /healthz, port: 8080}}
    livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 20, failureThreshold: 5}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    WORKLOAD_KINDS,
    containers,
)

ID = "probes-differ"
TITLE = "readiness and liveness probes are not identical"
SEVERITY = "warning"
REMEDIATION = "give the liveness probe its own check (or a longer period and threshold) than readiness"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res, init=False):
        if c.get("readinessProbe") and c.get("readinessProbe") == c.get("livenessProbe"):
            yield Found(res, f"container {c.get('name')!r} has identical "
                        "readiness and liveness probes", path=f"{path}.livenessProbe")
