"""A Role or ClusterRole grants no `escalate`, `bind` or `impersonate`.

`escalate` lets a subject write roles with permissions it does not hold, `bind` lets it bind any
role to anyone, `impersonate` lets it act as another user, group or service account: each is
cluster-admin one step removed.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: role-manager}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind, escalate]}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: role-reader}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get, list]}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import ROLE_KINDS, is_rbac, is_system, role_rules

ID = "rbac-escalation"
TITLE = "roles grant no escalate, bind or impersonate"
SEVERITY = "error"
REMEDIATION = "remove escalate, bind and impersonate; grant the permissions themselves where needed"
KINDS = ROLE_KINDS
VERBS = ("bind", "escalate", "impersonate")


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    for i, _, verbs, _, _ in role_rules(res):
        found = [v for v in VERBS if v in verbs]
        if found:
            yield Found(res, f"rule {i} grants {', '.join(found)}", path=f"rules[{i}].verbs")
