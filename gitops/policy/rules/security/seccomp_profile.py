"""Every container runs under a seccomp profile (`RuntimeDefault` or `Localhost`).

Seccomp blocks the rarely needed system calls most container escapes use.

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
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, is_windows, pod_spec
from .common import _effective

ID = "seccomp-profile"
TITLE = "containers run under the RuntimeDefault or a Localhost seccomp profile"
SEVERITY = "error"
REMEDIATION = "set securityContext.seccompProfile.type: RuntimeDefault on the pod"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    pod, _ = pod_spec(res)
    if is_windows(res):
        return  # seccomp is Linux-only; the API refuses it on Windows pods
    for c, path in containers(res):
        profile = _effective(c, pod, "seccompProfile") or {}
        if profile.get("type") not in ("RuntimeDefault", "Localhost"):
            yield Found(res, f"container {c.get('name')!r} runs "
                        "without a seccomp profile", path=f"{path}.securityContext.seccompProfile",
                        hint="set securityContext.seccompProfile.type: RuntimeDefault on the pod")
