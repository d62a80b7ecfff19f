"""Every container requests memory, optionally within bounds.

The memory request is what the scheduler reserves; a pod without one lands on full nodes and is
the first evicted. A limit alone counts as the request (the API server copies it). `min` and
`max` (quantities such as "64Mi", "16Gi") bound the request.

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
    resources: {requests: {memory: 128Mi}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from .common import _bounded

ID = "memory-requests"
TITLE = "every container requests memory (within min/max when set)"
SEVERITY = "error"
REMEDIATION = "set resources.requests.memory (within `min`/`max` when set)"
KINDS = WORKLOAD_KINDS
OPTIONS = {"min": None, "max": None}
OPTION_KINDS = {"min": "quantity", "max": "quantity"}


def check(res, ctx):
    yield from _bounded(res, ctx, "memory", "128Mi")
