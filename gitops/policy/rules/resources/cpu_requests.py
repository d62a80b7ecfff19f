"""Every container requests CPU, optionally within bounds.

Without a request the scheduler places the pod as if it needed nothing, and under contention
the container gets the smallest share. A container that sets only a limit requests that much
(the API server copies the limit into the request). `min` and `max` (quantities such as "50m", "4") bound the
request of the main containers (init containers only need one); set them per environment in
`policies/policy.yaml`.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
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
    resources: {requests: {cpu: 100m}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from .common import _bounded

ID = "cpu-requests"
TITLE = "every container requests CPU (within min/max when set)"
SEVERITY = "error"
REMEDIATION = "set resources.requests.cpu (within `min`/`max` when set)"
KINDS = WORKLOAD_KINDS
OPTIONS = {"min": None, "max": None}
OPTION_KINDS = {"min": "quantity", "max": "quantity"}


def check(res, ctx):
    yield from _bounded(res, ctx, "cpu", "100m")
