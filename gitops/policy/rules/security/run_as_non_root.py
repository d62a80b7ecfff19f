"""Every container runs as a non-root user.

`runAsNonRoot: true` (on the container or the pod) makes the kubelet refuse to start a
container whose image would run as root; a non-zero `runAsUser` also passes.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, pod_spec
from .common import _effective

ID = "run-as-non-root"
TITLE = "containers run as a non-root user"
SEVERITY = "error"
REMEDIATION = "set securityContext.runAsNonRoot: true on the pod or container"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    pod, _ = pod_spec(res)
    for c, path in containers(res):
        non_root, user = _effective(c, pod, "runAsNonRoot"), _effective(c, pod, "runAsUser")
        if non_root is False or user == 0 or (non_root is not True and not (isinstance(user, int) and user > 0)):
            yield Found(res, f"container {c.get('name')!r} may run as "
                        "root", path=f"{path}.securityContext.runAsNonRoot",
                        hint="set securityContext.runAsNonRoot: true on the pod or container")
