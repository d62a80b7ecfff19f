"""Metadata: what tells people and tools who owns an object and where it goes."""
from __future__ import annotations

from typing import Any

from ...findings import Finding
from ...schema.scope import crd_scopes, namespaced



class RequiredLabels:
    """Every object carries the labels listed in `labels` (default: app.kubernetes.io/name).

    Labels such as an owner or team are how alerts, costs and incidents find the people
    responsible. `kinds` limits the rule to some kinds (empty: all).

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
    metadata:
      name: api
      labels: {app.kubernetes.io/name: api}
    ```
    """

    ID = "required-labels"
    DESCRIPTION = "objects carry the required labels"
    SEVERITY = "error"
    OPTIONS = {"labels": ["app.kubernetes.io/name"], "kinds": []}

    @staticmethod
    def check(res, ctx):
        kinds = ctx.options.get("kinds") or []
        if kinds and res.kind not in kinds:
            return
        labels = res.metadata.get("labels") or {}
        for label in ctx.options.get("labels") or []:
            if not labels.get(label):
                yield Finding.about(res, RequiredLabels.ID, ctx.severity, f"label {label} is missing",
                                    path="metadata.labels", hint=f"add metadata.labels.{label}")


class NamespaceSet:
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

    ID = "namespace-set"
    DESCRIPTION = "namespaced objects set metadata.namespace"
    SEVERITY = "warning"
    OPTIONS: dict[str, Any] = {"cluster_scoped": []}

    @staticmethod
    def check(res, ctx):
        if res.namespace or res.kind in (ctx.options.get("cluster_scoped") or []):
            return
        scoped = namespaced(res.api_version, res.kind, _crds(ctx))
        if scoped is False or (scoped is None and res.kind[7:8].isupper() and res.kind.startswith("Cluster")):
            return
        if not res.namespace:
            yield Finding.about(res, NamespaceSet.ID, ctx.severity, "metadata.namespace is not set",
                                path="metadata.namespace")


def _crds(ctx) -> dict:
    """CustomResourceDefinitions of the set, read once per run (the index is per run)."""
    index = ctx.index
    if index is None:
        return crd_scopes(ctx.of_kind("CustomResourceDefinition"))
    if index.crd_scopes is None:
        index.crd_scopes = crd_scopes(ctx.of_kind("CustomResourceDefinition"))
    return index.crd_scopes


RULES = [RequiredLabels, NamespaceSet]
