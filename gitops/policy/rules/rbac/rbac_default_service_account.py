"""No binding grants a role to a namespace's `default` ServiceAccount.

Every pod that names no service account runs as `default`: a role bound to it goes to every such
pod of the namespace, today's and tomorrow's. Give the workload its own ServiceAccount.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: default, namespace: shop}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: shop-api, namespace: shop}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import BINDING_KINDS, is_rbac, is_system, subjects

ID = "rbac-default-service-account"
TITLE = "no binding grants roles to a default ServiceAccount"
SEVERITY = "warning"
REMEDIATION = "create a ServiceAccount for the workload and bind the role to it"
KINDS = BINDING_KINDS


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    for i, subject in subjects(res):
        if subject.get("kind") == "ServiceAccount" and subject.get("name") == "default":
            where = subject.get("namespace") or res.namespace or "its"
            yield Found(res, f"grants {res.obj.get('roleRef', {}).get('name')!r} to the default ServiceAccount of "
                        f"namespace {where}: every pod there without its own account gets it",
                        path=f"subjects[{i}].name")
