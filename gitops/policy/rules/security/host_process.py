"""No container runs as a Windows host process (`windowsOptions.hostProcess: true`), which has
the node's full access.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  containers:
  - {name: agent, image: ghcr.io/acme/agent:1.0, securityContext: {windowsOptions: {hostProcess: true}}}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  containers:
  - {name: agent, image: ghcr.io/acme/agent:1.0}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "host-process"
TITLE = "no Windows host-process containers"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "remove securityContext.windowsOptions.hostProcess"
SCHEMA = {"properties": {"securityContext": {"properties": {"windowsOptions": {"properties": {"hostProcess": {"const": False}}}}}}}

check = satisfies("container", SCHEMA, "container {name!r} runs as a Windows host process", REMEDIATION)
