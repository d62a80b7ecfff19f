"""No binding grants a role to `system:anonymous` or `system:unauthenticated`.

Those subjects are every request that carries no credentials: anyone who can reach the API
server. (Kubernetes binds `system:public-info-viewer` to them itself; that is not in a repository.)

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: open}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: Group, name: system:unauthenticated, apiGroup: rbac.authorization.k8s.io}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: viewers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: Group, name: acme:sre, apiGroup: rbac.authorization.k8s.io}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import BINDING_KINDS, is_rbac, is_system, subjects

ID = "rbac-anonymous"
TITLE = "no binding grants roles to anonymous or unauthenticated users"
SEVERITY = "error"
REMEDIATION = "bind the role to the users, groups or service accounts that need it"
KINDS = BINDING_KINDS
ANONYMOUS = ("system:anonymous", "system:unauthenticated")


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    for i, subject in subjects(res):
        if subject.get("name") in ANONYMOUS and subject.get("kind") in ("User", "Group"):
            yield Found(res, f"grants {res.obj.get('roleRef', {}).get('name')!r} to {subject['name']}: to anyone "
                        "who can reach the API server", path=f"subjects[{i}].name")
