"""Containers run with a user and group id of at least `min` (default 10000).

Low ids may collide with users on the node that own files or privileges there; a high id set
explicitly keeps an escaped process harmless.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 1000}
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  securityContext: {runAsUser: 10001, runAsGroup: 10001}
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, is_windows, pod_spec
from .common import _effective

ID = "high-user-id"
TITLE = "containers run with user and group ids of at least `min`"
SEVERITY = "warning"
REMEDIATION = "set securityContext.runAsUser and runAsGroup to at least the rule's `min` (e.g. 10001)"
KINDS = WORKLOAD_KINDS
OPTIONS = {"min": 10000}


def check(res, ctx):
    pod, _ = pod_spec(res)
    minimum = ctx.options["min"]
    if is_windows(res):
        return  # user ids are Linux-only fields; the API refuses them on Windows pods
    for c, path in containers(res):
        for key in ("runAsUser", "runAsGroup"):
            value = _effective(c, pod, key)
            if not isinstance(value, int) or value < minimum:
                yield Found(res, f"container {c.get('name')!r}: {key} "
                            f"is {value if value is not None else 'unset'}, below {minimum}",
                            path=f"{path}.securityContext.{key}")
