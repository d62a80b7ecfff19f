"""Every Role and ClusterRole is used: a binding in the set names it, or it aggregates into
another ClusterRole (warning).

An unused role is either dead weight or a binding that went missing; either way what it grants
is not what the repository shows. ClusterRoles with an `aggregationRule` or an
`rbac.authorization.k8s.io/aggregate-to-*` label are used by aggregation.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: old-reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: api, namespace: shop}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map, each
from .common import BINDING_KINDS, ROLE_KINDS, is_rbac, is_system, role_ref

ID = "rbac-unused-role"
TITLE = "roles are bound or aggregated"
SEVERITY = "warning"
REMEDIATION = "bind the role, or remove it"
SCOPE = "set"


def check(ctx):
    used: set[tuple[str, str, str]] = set()
    for binding in ctx.of_kind(*BINDING_KINDS):
        ref = role_ref(binding)
        namespace = binding.namespace if ref.get("kind") == "Role" else ""
        used.add((str(ref.get("kind")), namespace, str(ref.get("name"))))
    return each(ctx.of_kind(*ROLE_KINDS), lambda role: _check_one(role, used))


def _check_one(role, used):
    if not is_rbac(role) or is_system(role):
        return
    labels = as_map(role.metadata.get("labels"))
    if role.obj.get("aggregationRule") or any(str(k).startswith("rbac.authorization.k8s.io/aggregate-to-")
                                              for k in labels):
        return
    namespace = role.namespace if role.kind == "Role" else ""
    if (role.kind, namespace, role.name) not in used and not (role.kind == "Role" and not namespace
                                                             and any(k == "Role" and n == role.name
                                                                     for k, _, n in used)):
        yield Found(role, f"no binding in the set names {role.kind} {role.name!r}", path="metadata.name")
