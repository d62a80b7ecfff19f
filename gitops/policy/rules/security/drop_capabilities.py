"""Every container drops all Linux capabilities (`drop: [ALL]`).

The runtime's default set includes NET_RAW (packet spoofing) and others an application does
not need. Add back single capabilities with `add` when one is needed.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {capabilities: {drop: [NET_RAW]}}}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {capabilities: {drop: [ALL]}}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "drop-capabilities"
TITLE = "containers drop all Linux capabilities"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "set securityContext.capabilities.drop: [ALL] and add back only what is needed"
SCHEMA = {"required": ["securityContext"],
 "properties": {"securityContext": {"required": ["capabilities"],
                                    "properties": {"capabilities": {"required": ["drop"],
                                                                    "properties": {"drop": {"contains": {"enum": ["ALL",
                                                                                                                  "all"]}}}}}}}}

check = satisfies("container", SCHEMA, "container {name!r} does not drop all capabilities", REMEDIATION, linux_only=True)
