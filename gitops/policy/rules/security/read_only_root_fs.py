"""Every container has a read-only root filesystem.

An attacker cannot drop tools or change the application's files; writable places (`/tmp`,
caches) are explicit emptyDir volumes.

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
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {readOnlyRootFilesystem: true}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "read-only-root-fs"
TITLE = "containers have a read-only root filesystem"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it writes"
SCHEMA = {"required": ["securityContext"],
 "properties": {"securityContext": {"required": ["readOnlyRootFilesystem"],
                                    "properties": {"readOnlyRootFilesystem": {"const": True}}}}}

check = satisfies("container", SCHEMA, "container {name!r} can write to its root filesystem", REMEDIATION, linux_only=True)
