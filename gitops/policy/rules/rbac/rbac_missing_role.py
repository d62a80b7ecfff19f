"""A RoleBinding or ClusterRoleBinding names a role in the set, a built-in one (the ClusterRoles
cluster-admin, admin, edit, view, anything named `system:*`, and kube-system's
extension-apiserver-authentication-reader), or one declared external.

A binding to a missing role grants nothing until a role of that name appears, and then grants
whatever it says: a typo today, a surprise later. Roles made outside this repository are listed
in `external` as `Kind/name` globs, e.g. `ClusterRole/monitoring-*`.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api-reader}
subjects:
- {kind: ServiceAccount, name: api, namespace: shop}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api-reader}
subjects:
- {kind: ServiceAccount, name: api, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: api-reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
```
"""
from __future__ import annotations

import fnmatch
from typing import Any

from ....findings import Found
from .common import BINDING_KINDS, BUILTIN_CLUSTER_ROLES, BUILTIN_ROLES, is_rbac, is_system, role_ref

ID = "rbac-missing-role"
TITLE = "bindings name roles that exist"
SEVERITY = "error"
REMEDIATION = "add the role, fix the name, or declare it external"
KINDS = BINDING_KINDS
OPTIONS: dict[str, Any] = {"external": []}


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    ref = role_ref(res)
    kind, name = ref.get("kind"), ref.get("name")
    if not isinstance(name, str) or kind not in ("Role", "ClusterRole"):
        return
    if name.startswith("system:") or (kind == "ClusterRole" and name in BUILTIN_CLUSTER_ROLES) \
            or (kind == "Role" and (res.namespace, name) in BUILTIN_ROLES):
        return
    if any(fnmatch.fnmatchcase(f"{kind}/{name}", pattern) for pattern in ctx.options["external"] or []):
        return
    found = ctx.find(kind, name, res.namespace if kind == "Role" else "")
    if found is None and kind == "Role" and not res.namespace:
        found = next((r for r in ctx.of_kind("Role") if r.name == name), None)
    if found is None:
        yield Found(res, f"roleRef names {kind} {name!r}, which is not in the set", path="roleRef.name",
                    hint=f"add it, or declare it external: {kind}/{name}")
