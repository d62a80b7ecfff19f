"""API versions Kubernetes deprecated or removed, with their replacements.

From the Kubernetes deprecated API migration guide. A version removed at or before the target
version is an error (no server of that version accepts it); one deprecated but still served is a
warning. Versions are minor numbers of 1.x.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Deprecation:
    api_version: str
    kinds: tuple[str, ...]  # empty: every kind of that apiVersion
    deprecated_in: int
    removed_in: int | None
    replacement: str  # apiVersion to use instead, or advice


def _d(api_version: str, kinds: str, deprecated: int, removed: int | None, replacement: str) -> Deprecation:
    return Deprecation(api_version, tuple(kinds.split()) if kinds else (), deprecated, removed, replacement)


TABLE: tuple[Deprecation, ...] = (
    _d("extensions/v1beta1", "Deployment DaemonSet ReplicaSet", 9, 16, "apps/v1"),
    _d("extensions/v1beta1", "NetworkPolicy", 9, 16, "networking.k8s.io/v1"),
    _d("extensions/v1beta1", "PodSecurityPolicy", 11, 16, "policy/v1beta1 (itself removed in 1.25)"),
    _d("extensions/v1beta1", "Ingress", 14, 22, "networking.k8s.io/v1"),
    _d("apps/v1beta1", "", 9, 16, "apps/v1"),
    _d("apps/v1beta2", "", 9, 16, "apps/v1"),
    _d("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration ValidatingWebhookConfiguration",
       16, 22, "admissionregistration.k8s.io/v1"),
    _d("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 16, 22, "apiextensions.k8s.io/v1"),
    _d("apiregistration.k8s.io/v1beta1", "APIService", 19, 22, "apiregistration.k8s.io/v1"),
    _d("authentication.k8s.io/v1beta1", "TokenReview", 19, 22, "authentication.k8s.io/v1"),
    _d("authorization.k8s.io/v1beta1", "", 19, 22, "authorization.k8s.io/v1"),
    _d("certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, 22, "certificates.k8s.io/v1"),
    _d("coordination.k8s.io/v1beta1", "Lease", 19, 22, "coordination.k8s.io/v1"),
    _d("networking.k8s.io/v1beta1", "Ingress IngressClass", 19, 22, "networking.k8s.io/v1"),
    _d("rbac.authorization.k8s.io/v1beta1", "", 17, 22, "rbac.authorization.k8s.io/v1"),
    _d("scheduling.k8s.io/v1beta1", "PriorityClass", 14, 22, "scheduling.k8s.io/v1"),
    _d("storage.k8s.io/v1beta1", "CSIDriver CSINode StorageClass VolumeAttachment", 19, 22, "storage.k8s.io/v1"),
    _d("batch/v1beta1", "CronJob", 21, 25, "batch/v1"),
    _d("discovery.k8s.io/v1beta1", "EndpointSlice", 21, 25, "discovery.k8s.io/v1"),
    _d("events.k8s.io/v1beta1", "Event", 19, 25, "events.k8s.io/v1"),
    _d("autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, 25, "autoscaling/v2"),
    _d("policy/v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1"),
    _d("policy/v1beta1", "PodSecurityPolicy", 21, 25, "Pod Security Admission (no replacement kind)"),
    _d("node.k8s.io/v1beta1", "RuntimeClass", 20, 25, "node.k8s.io/v1"),
    _d("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema PriorityLevelConfiguration", 23, 26,
       "flowcontrol.apiserver.k8s.io/v1"),
    _d("autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, 26, "autoscaling/v2"),
    _d("storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, 27, "storage.k8s.io/v1"),
    _d("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema PriorityLevelConfiguration", 26, 29,
       "flowcontrol.apiserver.k8s.io/v1"),
    _d("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema PriorityLevelConfiguration", 29, 32,
       "flowcontrol.apiserver.k8s.io/v1"),
    _d("v1", "ComponentStatus", 19, None, "no replacement; query the components' health endpoints"),
    _d("v1", "Endpoints", 33, None, "discovery.k8s.io/v1 EndpointSlice"),
)


# The two ids this table's facts are reported under, with their default severities (the policy rules
# of the same names, gitops/policy/rules/api_currency/, take theirs from here).
REMOVED, DEPRECATED = "api-removed", "api-deprecated"
SEVERITY = {REMOVED: "error", DEPRECATED: "warning"}


@lru_cache(maxsize=256)  # asked once per resource; a run sees a handful of kinds
def lookup(api_version: str, kind: str, kubernetes_version: str) -> tuple[str, str] | None:
    """(rule id, message) when this apiVersion/kind is removed (`api-removed`) or deprecated
    (`api-deprecated`) in the target version."""
    minor = int(kubernetes_version.split(".")[1])
    for entry in TABLE:
        if entry.api_version != api_version or (entry.kinds and kind not in entry.kinds):
            continue
        if entry.removed_in is not None and minor >= entry.removed_in:
            return REMOVED, (f"{api_version} {kind} was removed in Kubernetes 1.{entry.removed_in} "
                             f"(target is {kubernetes_version}); use {entry.replacement}")
        if minor >= entry.deprecated_in:
            until = f", and will be removed in 1.{entry.removed_in}" if entry.removed_in else ""
            return DEPRECATED, (f"{api_version} {kind} is deprecated since Kubernetes 1.{entry.deprecated_in}"
                               f"{until}; use {entry.replacement}")
    return None
