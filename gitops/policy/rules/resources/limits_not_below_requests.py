"""No limit is below the matching request.

The API server rejects such a pod at apply time; catching it in review is cheaper.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    resources: {requests: {memory: 512Mi}, limits: {memory: 256Mi}}
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
    resources: {requests: {memory: 256Mi}, limits: {memory: 512Mi}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, quantity
from .common import _requirements

ID = "limits-not-below-requests"
TITLE = "no resource limit is below its request"
SEVERITY = "error"
REMEDIATION = "raise the limit to at least the request (or lower the request)"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res):
        requests, limits = _requirements(c)
        for key in sorted(set(requests) & set(limits)):
            req, lim = quantity(requests[key]), quantity(limits[key])
            if req is not None and lim is not None and lim < req:
                yield Found(res, f"container {c.get('name')!r}: {key} limit {limits[key]} is below its "
                            f"request {requests[key]}", path=f"{path}.resources.limits.{key}")
