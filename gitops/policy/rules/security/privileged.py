"""No container runs privileged.

A privileged container has every capability and every device of the node: escaping it is
trivial.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  containers:
  - {name: agent, image: ghcr.io/acme/agent:1.0, securityContext: {privileged: true}}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  containers:
  - {name: agent, image: ghcr.io/acme/agent:1.0, securityContext: {privileged: false}}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "privileged"
TITLE = "no privileged containers"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "remove securityContext.privileged or set it to false"
SCHEMA = {"properties": {"securityContext": {"properties": {"privileged": {"const": False}}}}}

check = satisfies("container", SCHEMA, "container {name!r} is privileged", REMEDIATION)
