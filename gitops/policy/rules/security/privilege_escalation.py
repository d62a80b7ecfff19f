"""Every container sets `allowPrivilegeEscalation: false`.

Unset, a process can gain more privileges than its parent (setuid binaries, file
capabilities): the usual second step of an escape.

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
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {allowPrivilegeEscalation: false}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "privilege-escalation"
TITLE = "containers set allowPrivilegeEscalation false"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "set securityContext.allowPrivilegeEscalation: false"
SCHEMA = {"required": ["securityContext"],
 "properties": {"securityContext": {"required": ["allowPrivilegeEscalation"],
                                    "properties": {"allowPrivilegeEscalation": {"const": False}}}}}

check = satisfies("container", SCHEMA, "container {name!r} allows privilege escalation", REMEDIATION, linux_only=True)
