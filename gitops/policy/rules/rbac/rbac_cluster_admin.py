"""No RoleBinding or ClusterRoleBinding grants the `cluster-admin` ClusterRole.

cluster-admin is every permission on every object, Secrets and RBAC included; bound to a service
account it makes a compromised pod the owner of the cluster. Write a role with what is needed.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: ci, namespace: ci}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: ci, namespace: ci}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import BINDING_KINDS, is_rbac, is_system, role_ref

ID = "rbac-cluster-admin"
TITLE = "no binding grants cluster-admin"
SEVERITY = "error"
REMEDIATION = "bind a role that grants only what the subjects need"
KINDS = BINDING_KINDS


def check(res, ctx):
    ref = role_ref(res)
    if is_rbac(res) and not is_system(res) and ref.get("kind") == "ClusterRole" and ref.get("name") == "cluster-admin":
        yield Found(res, "binds the cluster-admin ClusterRole: every permission on every object", path="roleRef.name")
