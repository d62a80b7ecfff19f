"""Every container requests and limits ephemeral storage (off in `recommended`).

Logs and scratch files fill the node's disk; past the eviction threshold the kubelet evicts
pods, starting with those that requested none.

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
    resources: {requests: {ephemeral-storage: 1Gi}, limits: {ephemeral-storage: 2Gi}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers
from .common import _requirements

ID = "ephemeral-storage"
TITLE = "every container requests and limits ephemeral storage"
SEVERITY = "warning"
REMEDIATION = "set resources.requests and resources.limits of ephemeral-storage"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res):
        requests, limits = _requirements(c)
        for where, values in (("requests", requests), ("limits", limits)):
            if "ephemeral-storage" not in values:
                yield Found(res, f"container {c.get('name')!r} has "
                            f"no ephemeral-storage in {where}", path=f"{path}.resources.{where}")
