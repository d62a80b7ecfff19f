"""A NetworkPolicy selects the pods of a workload in the set.

A policy whose `podSelector` matches nothing protects nothing: usually a label typo, and the pods
it was written for stay open. An empty selector (`{}`) selects every pod of the namespace.

Fails:

```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api}
spec:
  podSelector: {matchLabels: {app: apii}}
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```

Passes:

```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec:
  containers: [{name: api, image: ghcr.io/acme/api:1.0}]
```
"""
from __future__ import annotations

from ...api import POD_OWNER_KINDS, as_map, each, selects_every_pod
from ..references.common import _selects_nothing

ID = "network-policy-selects"
TITLE = "NetworkPolicies select an existing workload"
SEVERITY = "warning"
REMEDIATION = "make podSelector match the pod template labels of a workload in the namespace"
SCOPE = "set"


def check(ctx):
    return each(ctx.of_kind("NetworkPolicy"), lambda policy: _check_one(policy, ctx))


def _check_one(policy, ctx):
    selector = as_map(policy.obj.get("spec")).get("podSelector")
    if selects_every_pod(policy, ("spec", "podSelector")):
        return
    if not ctx.selected(policy.namespace, selector, *POD_OWNER_KINDS):
        yield from _selects_nothing(ctx, policy, selector, "spec.podSelector", "podSelector")
