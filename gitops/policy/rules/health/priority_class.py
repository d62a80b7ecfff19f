"""Pods name a PriorityClass (off in `recommended`), optionally one of `allowed`.

When a cluster runs short, the scheduler preempts pods of lower priority first; without a
class every pod is equal and a batch job can push out a production API.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  priorityClassName: production-high
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```
"""
from __future__ import annotations

from typing import Any

from ....findings import Found
from ...api import (
    WORKLOAD_KINDS,
    pod_spec,
)

ID = "priority-class"
TITLE = "pods name a PriorityClass"
SEVERITY = "warning"
REMEDIATION = "set priorityClassName to one of the cluster's (allowed) PriorityClasses"
KINDS = WORKLOAD_KINDS
OPTIONS: dict[str, Any] = {"allowed": []}


def check(res, ctx):
    spec, base = pod_spec(res)
    if spec is None:
        return
    name, allowed = spec.get("priorityClassName"), ctx.options["allowed"] or []
    if not name or (allowed and name not in allowed):
        yield Found(res, f"priorityClassName is {name or 'not set'}"
                    + (f"; expected one of {', '.join(allowed)}" if allowed and name else ""),
                    path=f"{base}.priorityClassName")
