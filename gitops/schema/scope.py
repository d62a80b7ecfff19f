"""Whether a kind is namespaced: built-in kinds from the Kubernetes API, custom kinds from a
CustomResourceDefinition in the set, else from a table of well-known operators' cluster-scoped kinds.

The bundled JSON schemas carry no scope (OpenAPI v2 has none), so the built-in table lists every
cluster-scoped resource of the Kubernetes API (`kubectl api-resources --namespaced=false` on 1.33,
plus the alpha/beta kinds of later versions).
"""
from __future__ import annotations

import functools
import os
from typing import Any, Iterable

BUILTIN_CLUSTER_SCOPED = frozenset({
    "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ClusterTrustBundle",
    "ComponentStatus", "CSIDriver", "CSINode", "CustomResourceDefinition", "DeviceClass", "DeviceTaintRule",
    "FlowSchema", "IngressClass", "InitializerConfiguration", "IPAddress", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy", "PriorityClass",
    "PriorityLevelConfiguration", "ResourceSlice", "RuntimeClass", "SelfSubjectAccessReview", "SelfSubjectReview",
    "SelfSubjectRulesReview", "ServiceCIDR", "StorageClass", "StorageVersion", "StorageVersionMigration",
    "SubjectAccessReview", "TokenReview", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration", "VolumeAttachment", "VolumeAttributesClass",
})

# The API groups Kubernetes itself serves ("" is the core group).
BUILTIN_GROUPS = frozenset({
    "", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "apps",
    "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io",
    "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "extensions", "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io",
    "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io", "storagemigration.k8s.io",
})

# (API group, kind) of cluster-scoped kinds of widely used operators, from their CRDs.
KNOWN_CLUSTER_SCOPED = frozenset({
    ("gateway.networking.k8s.io", "GatewayClass"),
    ("snapshot.storage.k8s.io", "VolumeSnapshotClass"), ("snapshot.storage.k8s.io", "VolumeSnapshotContent"),
    ("groupsnapshot.storage.k8s.io", "VolumeGroupSnapshotClass"),
    ("groupsnapshot.storage.k8s.io", "VolumeGroupSnapshotContent"),
    ("cert-manager.io", "ClusterIssuer"),
    ("external-secrets.io", "ClusterSecretStore"), ("external-secrets.io", "ClusterExternalSecret"),
    ("kyverno.io", "ClusterPolicy"), ("kyverno.io", "ClusterCleanupPolicy"),
    ("templates.gatekeeper.sh", "ConstraintTemplate"),
    ("argoproj.io", "ClusterWorkflowTemplate"),
    ("kueue.x-k8s.io", "ClusterQueue"), ("kueue.x-k8s.io", "ResourceFlavor"), ("kueue.x-k8s.io", "Cohort"),
    ("kueue.x-k8s.io", "WorkloadPriorityClass"), ("keda.sh", "ClusterTriggerAuthentication"),
    ("trainer.kubeflow.org", "ClusterTrainingRuntime"),
    ("serving.kserve.io", "ClusterServingRuntime"), ("serving.kserve.io", "ClusterStorageContainer"),
    ("karpenter.sh", "NodePool"), ("karpenter.sh", "NodeClaim"), ("karpenter.k8s.aws", "EC2NodeClass"),
    ("tekton.dev", "ClusterTask"), ("triggers.tekton.dev", "ClusterInterceptor"),
    ("triggers.tekton.dev", "ClusterTriggerBinding"),
    ("crd.projectcalico.org", "GlobalNetworkPolicy"), ("projectcalico.org", "GlobalNetworkPolicy"),
    ("cilium.io", "CiliumClusterwideNetworkPolicy"),
})


def crd_scopes(resources: Iterable[Any]) -> dict[tuple[str, str], bool]:
    """(group, kind) -> namespaced, for every CustomResourceDefinition among `resources`."""
    out: dict[tuple[str, str], bool] = {}
    for res in resources:
        if res.kind != "CustomResourceDefinition" or not isinstance(res.obj.get("spec"), dict):
            continue
        spec = res.obj["spec"]
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        if isinstance(spec.get("group"), str) and isinstance(names.get("kind"), str):
            out[(spec["group"], names["kind"])] = spec.get("scope") != "Cluster"
    return out


def namespaced(api_version: str, kind: str, crds: dict[tuple[str, str], bool] | None = None) -> bool | None:
    """True or False when known; None for a custom kind nothing here describes."""
    group = api_version.rpartition("/")[0]
    if crds and (group, kind) in crds:
        return crds[(group, kind)]
    if group in BUILTIN_GROUPS:
        if kind in BUILTIN_CLUSTER_SCOPED:
            return False
        return True if kind.lower() in builtin_kinds() else None  # e.g. a tool's config file in "v1"
    if (group, kind) in KNOWN_CLUSTER_SCOPED:
        return False
    return None


@functools.cache
def builtin_kinds() -> frozenset[str]:
    """Lower-case names of every kind the bundled Kubernetes schemas describe (oldest and newest
    supported versions, so removed kinds still count)."""
    from . import builtin

    versions = builtin.supported_versions()
    names: set[str] = set()
    for version in {versions[0], versions[-1]}:
        folder = builtin.version_dir(version, strict=False)
        if os.path.isdir(folder):
            names |= {name.split("-", 1)[0] for name in os.listdir(folder) if name.endswith(".json")}
    return frozenset(names)
