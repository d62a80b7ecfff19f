"""Metadata: what tells people and tools who owns an object and where it goes."""
from __future__ import annotations

from typing import Any

from ...findings import Finding

CLUSTER_SCOPED = {
    "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode",
    "VolumeAttachment", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService", "PodSecurityPolicy",
    "FlowSchema", "PriorityLevelConfiguration", "CertificateSigningRequest", "ComponentStatus",
    "ClusterIssuer",
}


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

    ID = "namespace-set"
    DESCRIPTION = "namespaced objects set metadata.namespace"
    SEVERITY = "warning"
    OPTIONS: dict[str, Any] = {"cluster_scoped": []}

    @staticmethod
    def check(res, ctx):
        if res.kind in CLUSTER_SCOPED or res.kind in (ctx.options.get("cluster_scoped") or []):
            return
        if not res.namespace:
            yield Finding.about(res, NamespaceSet.ID, ctx.severity, "metadata.namespace is not set",
                                path="metadata.namespace")


RULES = [RequiredLabels, NamespaceSet]
