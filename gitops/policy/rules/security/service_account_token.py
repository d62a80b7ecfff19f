"""Pods do not mount a service-account token unless they say they need one.

Most applications never call the Kubernetes API; a mounted token lets an attacker who gets in
do so. Set `automountServiceAccountToken: false` on the pod or its ServiceAccount; a pod that
needs the token sets it to `true` explicitly.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  serviceAccountName: api
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
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api}
automountServiceAccountToken: false
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, pod_spec

ID = "service-account-token"
TITLE = "service-account tokens are mounted only when asked for"
SEVERITY = "warning"
REMEDIATION = "set automountServiceAccountToken: false (or true if the pod calls the API)"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    pod, base = pod_spec(res)
    if pod is None or pod.get("automountServiceAccountToken") is not None:
        return
    account = ctx.find("ServiceAccount", pod.get("serviceAccountName") or "default", res.namespace)
    if account is None or account.obj.get("automountServiceAccountToken") is not False:
        yield Found(res, "the service-account token is mounted "
                    "without being asked for", path=f"{base}.automountServiceAccountToken",
                    hint="set automountServiceAccountToken: false (or true if the pod calls the API)")
