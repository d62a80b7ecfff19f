"""Pods set only namespaced, safe sysctls (plus those listed in `allowed`).

Unsafe sysctls change the whole node's kernel, affecting every pod on it.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  securityContext: {sysctls: [{name: kernel.msgmax, value: "65536"}]}
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  securityContext: {sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65535"}]}
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```
"""
from __future__ import annotations

from typing import Any

from ....findings import Found
from ...api import WORKLOAD_KINDS, as_map, items, pod_spec
from .common import SAFE_SYSCTLS

ID = "unsafe-sysctls"
TITLE = "only safe sysctls"
SEVERITY = "error"
REMEDIATION = "remove the sysctl, or allow it explicitly in the rule's `allowed` option"
KINDS = WORKLOAD_KINDS
OPTIONS: dict[str, Any] = {"allowed": []}


def check(res, ctx):
    pod, base = pod_spec(res)
    safe = set(SAFE_SYSCTLS) | set(ctx.options["allowed"] or [])
    for i, sysctl in items(as_map(as_map(pod).get("securityContext")).get("sysctls")):
        if sysctl.get("name") not in safe:
            yield Found(res, f"unsafe sysctl {sysctl.get('name')}",
                        path=f"{base}.securityContext.sysctls[{i}]")
