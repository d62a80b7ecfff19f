"""Pods name their account with `serviceAccountName`; the old `serviceAccount` field is
deprecated and confuses reviewers when the two differ.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  serviceAccount: api
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  serviceAccountName: api
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "deprecated-service-account"
TITLE = "pods use serviceAccountName, not the deprecated serviceAccount"
SEVERITY = "warning"
KINDS = WORKLOAD_KINDS
REMEDIATION = "rename serviceAccount to serviceAccountName"
SCHEMA = {"not": {"required": ["serviceAccount"]}}

check = satisfies("pod", SCHEMA, "pod of {name!r} uses the deprecated serviceAccount field", REMEDIATION)
