"""Every workload's pods are selected by a NetworkPolicy in their namespace (off in `recommended`).

Without one, any pod in the cluster can reach them.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, as_map

ID = "network-policy"
TITLE = "pods are selected by a NetworkPolicy"
SEVERITY = "warning"
REMEDIATION = "add a NetworkPolicy whose podSelector selects these pods"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    if ctx.selecting("NetworkPolicy", res.namespace, ctx.pod_labels(res), ("spec", "podSelector")):
        return
    for policy in ctx.in_namespace(res.namespace, "NetworkPolicy"):
        if as_map(policy.obj.get("spec")).get("podSelector") == {}:  # selects every pod of the namespace
            return
    yield Found(res, "no NetworkPolicy selects these pods")
