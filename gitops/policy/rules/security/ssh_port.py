"""No container exposes port 22.

An SSH server in a container is a second way in that bypasses Kubernetes' access control and
audit log.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, ports: [{containerPort: 22}]}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, ports: [{containerPort: 8080}]}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "ssh-port"
TITLE = "containers expose no SSH port"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "use kubectl exec or ephemeral debug containers instead of SSH"
SCHEMA = {"properties": {"ports": {"items": {"properties": {"containerPort": {"not": {"const": 22}}}}}}}

check = satisfies("container", SCHEMA, "container {name!r} exposes port 22", REMEDIATION)
