"""Every container of a long-running workload has a liveness probe.

A process that hangs without exiting is never restarted otherwise. (Jobs and CronJobs are
exempt: they end; so are pods with `restartPolicy: Never` or `OnFailure`, which run to
completion.)

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  containers:
  - name: worker
    image: ghcr.io/acme/worker:1.0
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  containers:
  - name: worker
    image: ghcr.io/acme/worker:1.0
    livenessProbe: {exec: {command: [worker, health]}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    containers,
    restarts_never,
)
from .common import LONG_RUNNING

ID = "liveness-probe"
TITLE = "every long-running container has a liveness probe"
SEVERITY = "warning"
REMEDIATION = "add a livenessProbe that fails only when the process is stuck (not when a dependency is down)"
KINDS = LONG_RUNNING


def check(res, ctx):
    if restarts_never(res):
        return
    for c, path in containers(res, init=False):
        if not c.get("livenessProbe"):
            yield Found(res, f"container {c.get('name')!r} has no "
                        "liveness probe", path=f"{path}.livenessProbe")
