"""Workloads run under a ServiceAccount of their own, not the namespace's `default` (warning).

Whatever is granted to `default` (by a binding, a cloud workload identity, an image pull
secret) goes to every pod of the namespace that names no account; a workload with its own
account gets only what it was given. Pods that mount no token
(`automountServiceAccountToken: false`) are exempt.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
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

from ....findings import Found
from ...api import WORKLOAD_KINDS, pod_spec

ID = "default-service-account"
TITLE = "workloads have their own ServiceAccount"
SEVERITY = "warning"
REMEDIATION = "create a ServiceAccount for the workload and set serviceAccountName"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    pod, base = pod_spec(res)
    if pod is None or pod.get("automountServiceAccountToken") is False:
        return
    account = pod.get("serviceAccountName") or pod.get("serviceAccount") or "default"
    if account == "default":
        yield Found(res, "the pods run as the namespace's default ServiceAccount",
                    path=f"{base}.serviceAccountName")
