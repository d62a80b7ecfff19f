"""A Role or ClusterRole does not let its subjects create pods or the workloads that make them
(warning).

Whoever creates a pod chooses its image, its service account and its mounts, so it gains every
permission of every service account in the namespace: privilege by proxy (CIS 5.1.4). Controllers
need it; check that each subject here is one.

Fails:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: runner, namespace: shop}
rules:
- {apiGroups: [""], resources: [pods], verbs: [create]}
```

Passes:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: watcher, namespace: shop}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
```
"""
from __future__ import annotations

from ....findings import Found
from .common import ROLE_KINDS, grants, is_rbac, is_system, role_rules

ID = "rbac-create-pods"
TITLE = "roles do not create pods or workloads (privilege by proxy)"
SEVERITY = "warning"
REMEDIATION = "keep create on pods and workloads to controllers; waive it there with the reason"
KINDS = ROLE_KINDS
MAKERS = {"": {"pods", "replicationcontrollers"},
          "apps": {"deployments", "statefulsets", "daemonsets", "replicasets"},
          "batch": {"jobs", "cronjobs"}}


def check(res, ctx):
    if not is_rbac(res) or is_system(res):
        return
    for i, _, verbs, resources, groups in role_rules(res):
        if "*" in verbs and "*" in resources:
            continue  # rbac-wildcard says so already
        made = sorted(r for group, kinds in MAKERS.items()
                      if grants(verbs, resources, groups, {"create"}, kinds, group)
                      for r in (kinds & resources or {"*"}))
        if made:
            yield Found(res, f"rule {i} lets its subjects create {', '.join(made)}: any image, any service "
                        "account of the namespace", path=f"rules[{i}]")
