"""Every container has a CPU limit (off in the `recommended` preset).

A CPU limit caps bursts: it protects neighbours but throttles the container even on an idle
node, which is why the recommended preset leaves it off and `strict` turns it on.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    resources: {requests: {cpu: 100m}}
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
    resources: {requests: {cpu: 100m}, limits: {cpu: 500m}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, quantity
from .common import _requirements

ID = "cpu-limit"
TITLE = "every container has a CPU limit"
SEVERITY = "warning"
REMEDIATION = "set resources.limits.cpu"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res):
        if quantity(_requirements(c)[1].get("cpu")) is None:
            yield Found(res, f"container {c.get('name')!r} has no CPU limit",
                        path=f"{path}.resources.limits.cpu")
