"""No container unmasks `/proc` (`procMount: Unmasked`), which exposes the node's kernel
settings and other processes' information.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {procMount: Unmasked}}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {procMount: Default}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "proc-mount"
TITLE = "containers keep the default /proc mount"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "remove securityContext.procMount or set it to Default"
SCHEMA = {"properties": {"securityContext": {"properties": {"procMount": {"const": "Default"}}}}}

check = satisfies("container", SCHEMA, "container {name!r} unmasks /proc", REMEDIATION)
