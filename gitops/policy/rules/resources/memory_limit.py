"""Every container has a memory limit.

Memory cannot be throttled: a container without a limit can grow until the node kills
something else. With a limit, only the container that overruns is restarted.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    resources: {requests: {memory: 128Mi}}
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
    resources: {requests: {memory: 128Mi}, limits: {memory: 128Mi}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, quantity
from .common import _requirements

ID = "memory-limit"
TITLE = "every container has a memory limit"
SEVERITY = "error"
REMEDIATION = "set resources.limits.memory, usually equal to the request"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res):
        if quantity(_requirements(c)[1].get("memory")) is None:
            yield Found(res, f"container {c.get('name')!r} has no memory "
                        "limit", path=f"{path}.resources.limits.memory",
                        hint="set resources.limits.memory, usually equal to the request")
