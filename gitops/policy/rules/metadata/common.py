"""What the metadata rules share."""
from __future__ import annotations

CLUSTER_SCOPED = {
    "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode",
    "VolumeAttachment", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService", "PodSecurityPolicy",
    "FlowSchema", "PriorityLevelConfiguration", "CertificateSigningRequest", "ComponentStatus",
    "ClusterIssuer",
}
