"""A Role or ClusterRole grants no `*` verb, resource or API group.

A wildcard grants every present and future verb or resource, including ones added by CRDs
installed later; it is how a narrow role silently becomes cluster-admin. List what is needed.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
- {apiGroups: [apps], resources: ["*"], verbs: ["*"]}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get, list, watch, patch]}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import ROLE_KINDS, is_rbac, is_system, role_rules

ID = "rbac-wildcard"
TITLE = "roles grant no `*` verbs, resources or API groups"
SEVERITY = "error"
REMEDIATION = "list the verbs, resources and API groups the subject needs"
KINDS = ROLE_KINDS


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    for i, _, verbs, resources, groups in role_rules(res):
        for field, values in (("verbs", verbs), ("resources", resources), ("apiGroups", groups)):
            if "*" in values:
                yield Found(res, f"rule {i} grants every {field[:-1] if field != 'apiGroups' else 'API group'} "
                            "(`*`)", path=f"rules[{i}].{field}")
