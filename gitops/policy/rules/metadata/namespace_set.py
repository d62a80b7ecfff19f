"""Every namespaced object names its namespace.

Without one, the object lands in whatever namespace the applying tool defaults to, which
differs between Argo CD applications, Flux kustomizations and a person's kubectl context.
`cluster_scoped` adds custom kinds that have no namespace.

Fails:

```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: api}
```

Passes:

```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: api, namespace: api-prod}
```
"""
from __future__ import annotations

from typing import Any

from ....findings import Found
from .common import CLUSTER_SCOPED

ID = "namespace-set"
TITLE = "namespaced objects set metadata.namespace"
SEVERITY = "warning"
REMEDIATION = "set metadata.namespace (or list the kind in the rule's `cluster_scoped` option)"
OPTIONS: dict[str, Any] = {"cluster_scoped": []}


def check(res, ctx):
    if res.kind in CLUSTER_SCOPED or res.kind in (ctx.options["cluster_scoped"] or []):
        return
    if not res.namespace:
        yield Found(res, "metadata.namespace is not set",
                    path="metadata.namespace")
