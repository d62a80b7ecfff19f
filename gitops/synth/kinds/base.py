"""What every kind's builder reuses: metadata, the namespace, identity and config (`build_common`),
Services (headless or not) and PodDisruptionBudgets. Pod templates are in `..pod`, owned claims in
`..storage`, autoscalers in `..scaling`."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..cluster import PROFILE_ANNOTATION
from ..context import Target
from ..identity import service_account_annotations
from ..pod import int_or_string, secret_sources
from ..storage import KEEP_DATA, holds_data

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.service import Service
    from ...spec.workload import Workload

SECRET_SOURCES = "gitops.dev/secret-sources"


def meta(k8s: ModuleType, t: Target, name: str | None = None, annotations: dict | None = None,
         versioned: bool = False) -> Any:
    """Metadata with the standard labels; `versioned` adds the version label (workload objects only)."""
    return k8s.ObjectMeta(name=name or t.app.name, namespace=t.namespace,
                          labels=t.workload_labels() if versioned else t.labels(), annotations=annotations or None)


def workload_meta(k8s: ModuleType, t: Target, extra: dict | None = None) -> Any:
    """Metadata of the workload object: the spec's annotations, and where its secrets come from."""
    annotations = {**(extra or {}), **t.app.annotations}
    if sources := secret_sources(t.app):
        annotations[SECRET_SOURCES] = sources
    return meta(k8s, t, annotations=dict(sorted(annotations.items())), versioned=True)


# What the Pod Security Standards let a container add (https://kubernetes.io/docs/concepts/security/
# pod-security-standards/): restricted only NET_BIND_SERVICE, baseline the runtime's default set.
BASELINE_CAPABILITIES = frozenset({"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                   "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})


def pod_security_level(app: Workload) -> str:
    """The strictest Pod Security level the app's pods pass: restricted unless it adds capabilities
    (RDMA and EFA need IPC_LOCK, which only the privileged level allows)."""
    added = set(app.capabilities) - {"NET_BIND_SERVICE"}
    if not added:
        return "restricted"
    return "baseline" if added <= BASELINE_CAPABILITIES else "privileged"


def build_namespace(k8s: ModuleType, chart: Chart, t: Target) -> None:
    labels = {**t.labels(), "pod-security.kubernetes.io/enforce": pod_security_level(t.app)}
    # deleting a namespace deletes its claims: it is kept like them
    annotations = dict(KEEP_DATA) if holds_data(t.app) else {}
    if t.app.cluster is not None:  # the app's own profile (a GPU pool): the admission checks use it
        annotations[PROFILE_ANNOTATION] = t.cluster.name
    k8s.KubeNamespace(chart, "namespace", metadata=k8s.ObjectMeta(name=t.namespace, labels=labels,
                                                                  annotations=annotations or None))


def build_common(k8s: ModuleType, chart: Chart, t: Target) -> None:
    """Namespace, ServiceAccount, ConfigMap and owned claims: the same for every kind."""
    app = t.app
    build_namespace(k8s, chart, t)
    if app.service_account is True:  # a name (str) is an existing account gitops does not make
        k8s.KubeServiceAccount(chart, "service-account",
                               metadata=meta(k8s, t, annotations=service_account_annotations(t)),
                               automount_service_account_token=app.mount_service_account_token)
    if app.config:
        k8s.KubeConfigMap(chart, "config", metadata=meta(k8s, t), data=dict(sorted(app.config.items())))


def min_available_replicas(app: Service) -> int:
    if app.autoscaling:
        return app.autoscaling.min_replicas
    event_scaling = getattr(app, "event_scaling", None)
    return event_scaling.min_replicas if event_scaling else app.replicas


def build_service(k8s: ModuleType, chart: Chart, t: Target, headless: bool, ports: list[Any], name: str | None = None,
                  publish_not_ready: bool = False) -> None:
    app = t.app
    k8s.KubeService(chart, f"service-{name or app.name}", metadata=meta(k8s, t, name=name), spec=k8s.ServiceSpec(
        type="ClusterIP" if headless or app.service in (None, "Headless") else app.service,
        cluster_ip="None" if headless else None,
        publish_not_ready_addresses=publish_not_ready or None,
        selector=t.selector_labels(),
        ports=ports,
    ))


def service_ports(k8s: ModuleType, app: Service) -> list[Any]:
    return [k8s.ServicePort(name=p.name, port=p.service_port or p.port, protocol=p.protocol,
                            target_port=int_or_string(k8s, p.name)) for p in app.ports]


def build_pdb(k8s: ModuleType, chart: Chart, t: Target) -> None:
    # Voluntary disruptions (node drains) take one pod at a time and never block forever: pods that
    # are not ready may always be evicted (a crash-looping replica must not hold a drain).
    k8s.KubePodDisruptionBudget(chart, "pdb", metadata=meta(k8s, t), spec=k8s.PodDisruptionBudgetSpec(
        max_unavailable=int_or_string(k8s, 1), unhealthy_pod_eviction_policy="AlwaysAllow",
        selector=k8s.LabelSelector(match_labels=t.selector_labels())))
