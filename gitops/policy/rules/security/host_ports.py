"""No container binds a port on the node (`hostPort`).

A host port bypasses network policies, limits the pod to one per node and exposes it on the
node's address.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, ports: [{containerPort: 8080, hostPort: 8080}]}
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

ID = "host-ports"
TITLE = "containers bind no host ports"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "expose the port through a Service instead"
SCHEMA = {"properties": {"ports": {"items": {"not": {"required": ["hostPort"]}}}}}

check = satisfies("container", SCHEMA, "container {name!r} binds a port on the node (hostPort)", REMEDIATION)
