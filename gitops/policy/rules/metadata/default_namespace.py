"""No object is put in the `default` namespace (warning).

`default` is where everything lands that names no namespace: objects there share it with
whatever else was applied carelessly, and namespace-wide RBAC, quotas and NetworkPolicies cannot
be given to one application. Give each application its own namespace. (Roles and RoleBindings
there are exempt: granting access to `default` takes a Role in `default`.)

Fails:

```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: api, namespace: default}
```

Passes:

```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: api, namespace: shop}
```
"""
from __future__ import annotations

from ....findings import Found

ID = "default-namespace"
TITLE = "no objects in the default namespace"
SEVERITY = "warning"
REMEDIATION = "put the application's objects in a namespace of its own"


def check(res, ctx):
    if res.namespace == "default" and res.kind not in ("Role", "RoleBinding"):
        yield Found(res, "the object is in the default namespace", path="metadata.namespace")
