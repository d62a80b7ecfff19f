"""API currency: apiVersions the target Kubernetes version (gitops.yaml `kubernetesVersion`) still serves."""
from __future__ import annotations

from ...findings import Finding

# (apiVersion, kind) -> (deprecated in, removed in, replacement). Kind "*" covers every kind of the version.
API_LIFECYCLE: dict[tuple[str, str], tuple[str, str, str]] = {
    ("extensions/v1beta1", "*"): ("1.8", "1.22", "apps/v1 or networking.k8s.io/v1"),
    ("apps/v1beta1", "*"): ("1.9", "1.16", "apps/v1"),
    ("apps/v1beta2", "*"): ("1.9", "1.16", "apps/v1"),
    ("networking.k8s.io/v1beta1", "*"): ("1.19", "1.22", "networking.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "*"): ("1.17", "1.22", "rbac.authorization.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "*"): ("1.16", "1.22", "admissionregistration.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", "*"): ("1.16", "1.22", "apiextensions.k8s.io/v1"),
    ("certificates.k8s.io/v1beta1", "*"): ("1.19", "1.22", "certificates.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1", "*"): ("1.19", "1.22", "coordination.k8s.io/v1"),
    ("scheduling.k8s.io/v1beta1", "*"): ("1.14", "1.22", "scheduling.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIDriver"): ("1.19", "1.22", "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSINode"): ("1.17", "1.22", "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "StorageClass"): ("1.19", "1.22", "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"): ("1.19", "1.22", "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): ("1.24", "1.27", "storage.k8s.io/v1"),
    ("batch/v1beta1", "CronJob"): ("1.21", "1.25", "batch/v1"),
    ("policy/v1beta1", "PodDisruptionBudget"): ("1.21", "1.25", "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): ("1.21", "1.25", "Pod Security Admission"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): ("1.22", "1.25", "autoscaling/v2"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("1.23", "1.26", "autoscaling/v2"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): ("1.21", "1.25", "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event"): ("1.22", "1.25", "events.k8s.io/v1"),
    ("node.k8s.io/v1beta1", "RuntimeClass"): ("1.22", "1.25", "node.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "*"): ("1.23", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "*"): ("1.26", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "*"): ("1.29", "1.32", "flowcontrol.apiserver.k8s.io/v1"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"): ("1.23", "", "autoscaling/v2 (v1 cannot scale on memory)"),
}


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)


def lifecycle(api_version: str, kind: str) -> tuple[str, str, str] | None:
    return API_LIFECYCLE.get((api_version, kind)) or API_LIFECYCLE.get((api_version, "*"))


class ApiRemoved:
    """No object uses an apiVersion removed in the target Kubernetes version.

    The API server rejects it: the sync fails in the cluster, after merge. The target version is
    `kubernetesVersion` in gitops.yaml.

    Fails:

    ```yaml
    apiVersion: policy/v1beta1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
    ```

    Passes:

    ```yaml
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
    ```
    """

    ID = "api-removed"
    DESCRIPTION = "no apiVersion removed in the target Kubernetes version"
    SEVERITY = "error"

    @staticmethod
    def check(res, ctx):
        known = lifecycle(res.api_version, res.kind)
        if known and known[1] and _version(ctx.kubernetes_version) >= _version(known[1]):
            yield Finding.about(res, ApiRemoved.ID, ctx.severity, f"{res.api_version} {res.kind} was removed in "
                                f"Kubernetes {known[1]} (target {ctx.kubernetes_version})", path="apiVersion",
                                hint=f"use {known[2]}")


class ApiDeprecated:
    """No object uses an apiVersion deprecated (not yet removed) in the target Kubernetes version.

    Deprecated versions still work but will be removed; moving early avoids a forced migration
    during a cluster upgrade.

    Fails:

    ```yaml
    apiVersion: autoscaling/v1
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec: {minReplicas: 2, maxReplicas: 4, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}}
    ```

    Passes:

    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec: {minReplicas: 2, maxReplicas: 4, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}}
    ```
    """

    ID = "api-deprecated"
    DESCRIPTION = "no apiVersion deprecated in the target Kubernetes version"
    SEVERITY = "warning"

    @staticmethod
    def check(res, ctx):
        known = lifecycle(res.api_version, res.kind)
        target = _version(ctx.kubernetes_version)
        if known and target >= _version(known[0]) and not (known[1] and target >= _version(known[1])):
            yield Finding.about(res, ApiDeprecated.ID, ctx.severity, f"{res.api_version} {res.kind} is deprecated "
                                f"since Kubernetes {known[0]}", path="apiVersion", hint=f"use {known[2]}")


RULES = [ApiRemoved, ApiDeprecated]
