"""No container adds a capability that amounts to control of the node (SYS_ADMIN, NET_ADMIN,
NET_RAW, SYS_PTRACE, SYS_MODULE, BPF, ALL, ...), in any letter case and with or without the
`CAP_` prefix (`sys_admin` is upper-cased by the runtime and grants the same).

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {capabilities: {add: [SYS_ADMIN]}}}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "dangerous-capabilities"
TITLE = "containers add no dangerous capabilities"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "remove it from securityContext.capabilities.add"
SCHEMA = {"properties": {"securityContext": {"properties": {"capabilities": {"properties": {"add": {"not": {"contains": {"type": "string",
                                                                                                                "pattern": "(?i)^(CAP_)?(ALL|SYS_ADMIN|NET_ADMIN|NET_RAW|SYS_PTRACE|SYS_MODULE|SYS_RAWIO|SYS_BOOT|SYS_TIME|DAC_READ_SEARCH|BPF|PERFMON|MAC_ADMIN|MAC_OVERRIDE)$"}}}}}}}}}

check = satisfies("container", SCHEMA, "container {name!r} adds a dangerous capability", REMEDIATION)
