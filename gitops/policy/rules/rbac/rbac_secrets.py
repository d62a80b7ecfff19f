"""A Role or ClusterRole does not let its subjects read Secrets (get, list or watch) unless it
names them (`resourceNames`).

Reading Secrets is reading every credential of the namespace (or, for a ClusterRole bound
cluster-wide, of the cluster), service-account tokens included. `list` and `watch` return the
values too. Grant `get` on the Secrets the workload needs, by name.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get, list]}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [secrets], resourceNames: [shop-db], verbs: [get]}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import ROLE_KINDS, grants, is_rbac, is_system, role_rules

ID = "rbac-secrets"
TITLE = "roles do not read Secrets beyond the ones they name"
SEVERITY = "warning"
REMEDIATION = "grant get on the Secrets needed, listed in resourceNames"
KINDS = ROLE_KINDS


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    for i, rule, verbs, resources, groups in role_rules(res):
        named = bool(rule.get("resourceNames"))
        if grants(verbs, resources, groups, {"list", "watch"} | (set() if named else {"get"}), {"secrets"}):
            yield Found(res, f"rule {i} lets its subjects read {'all ' if not named else ''}Secrets "
                        f"({', '.join(sorted(verbs))})", path=f"rules[{i}]")
