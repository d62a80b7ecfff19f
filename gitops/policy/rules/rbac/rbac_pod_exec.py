"""A Role or ClusterRole does not grant `pods/exec` or `pods/attach`.

A shell in a running pod is everything that pod can reach: its service-account token, its
mounted Secrets, its network position. Debug with ephemeral containers under a separate,
audited role.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debugger, namespace: shop}
rules:
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: log-reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import ROLE_KINDS, grants, is_rbac, is_system, role_rules

ID = "rbac-pod-exec"
TITLE = "roles grant no pods/exec or pods/attach"
SEVERITY = "error"
REMEDIATION = "remove pods/exec and pods/attach; debug through a separate, audited role"
KINDS = ROLE_KINDS


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    for i, _, verbs, resources, groups in role_rules(res):
        # exec and attach upgrade a GET or a POST (create) to a stream
        if grants(verbs, resources - {"*"}, groups, {"create", "get"}, {"pods/exec", "pods/attach", "pods/*"}):
            yield Found(res, f"rule {i} lets its subjects run commands in pods (pods/exec or pods/attach)",
                        path=f"rules[{i}].resources")
