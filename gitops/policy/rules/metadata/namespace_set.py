"""Every namespaced object names its namespace.

Without one, the object lands in whatever namespace the applying tool defaults to, which
differs between Argo CD applications, Flux kustomizations and a person's kubectl context.
Whether a kind is namespaced comes from the schema package (`gitops/schema/scope.py`): the
Kubernetes API's own kinds, CustomResourceDefinitions in the set, and well-known operators'
cluster-scoped kinds (GatewayClass, VolumeSnapshotClass, ClusterIssuer, ...); a custom kind
none of these describes is skipped only when `cluster_scoped` lists it or its name starts with
`Cluster` and another word (`ClusterPolicy`, not `Cluster`).

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
from ....schema.scope import BUILTIN_GROUPS, namespaced
from .common import _crds

ID = "namespace-set"
TITLE = "namespaced objects set metadata.namespace"
SEVERITY = "warning"
REMEDIATION = "set metadata.namespace (or list the kind in the rule's `cluster_scoped` option)"
OPTIONS: dict[str, Any] = {"cluster_scoped": []}


def check(res, ctx):
    if res.namespace or res.kind in (ctx.options["cluster_scoped"] or []):
        return
    scoped = namespaced(res.api_version, res.kind, _crds(ctx))
    if scoped is False or (scoped is None and (res.group in BUILTIN_GROUPS or (
            res.kind[7:8].isupper() and res.kind.startswith("Cluster")))):
        return  # cluster-scoped; or no Kubernetes kind at all (a tool's config file in group "v1")
    if not res.namespace:
        yield Found(res, "metadata.namespace is not set",
                    path="metadata.namespace")
