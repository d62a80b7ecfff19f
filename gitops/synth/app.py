"""Service, Worker and ModelServer -> Namespace, ServiceAccount, ConfigMap, Deployment, Service,
Ingress, HorizontalPodAutoscaler, PodDisruptionBudget (and the PersistentVolumeClaims they own).
Also the pieces every other kind reuses: metadata, namespace, identity, headless Services, PDBs."""
from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..spec.model import Resources, Service
from ..spec.workloads import ModelServer
from .context import Target
from .pod import (PodExtras, TMP_VOLUME, env_vars, int_or_string, pod_template, quantity, resource_requirements,
                  secret_sources, security_context)
from .scaling import build_autoscaler
from .storage import KEEP_DATA, build_claims, holds_data

if TYPE_CHECKING:
    from cdk8s import Chart

# A rollout may take this long beyond the startup budget before it counts as stuck.
PROGRESS_MARGIN_SECONDS = 120
WEIGHTS_VOLUME = "model-weights"
SECRET_SOURCES = "gitops.dev/secret-sources"


def meta(k8s: ModuleType, t: Target, name: str | None = None, annotations: dict | None = None) -> Any:
    return k8s.ObjectMeta(name=name or t.app.name, namespace=t.namespace, labels=t.labels(),
                          annotations=annotations or None)


def workload_meta(k8s: ModuleType, t: Target, extra: dict | None = None) -> Any:
    """Metadata of the workload object: the spec's annotations, and where its secrets come from."""
    annotations = {**(extra or {}), **t.app.annotations}
    if sources := secret_sources(t.app):
        annotations[SECRET_SOURCES] = sources
    return meta(k8s, t, annotations=dict(sorted(annotations.items())))


def build_namespace(k8s: ModuleType, chart: Chart, t: Target) -> None:
    labels = {**t.labels(), "pod-security.kubernetes.io/enforce": "restricted"}
    # deleting a namespace deletes its claims: it is kept like them
    annotations = KEEP_DATA if holds_data(t.app) else None
    k8s.KubeNamespace(chart, "namespace", metadata=k8s.ObjectMeta(name=t.namespace, labels=labels,
                                                                  annotations=annotations))


def build_common(k8s: ModuleType, chart: Chart, t: Target) -> None:
    """Namespace, ServiceAccount, ConfigMap and owned claims: the same for every kind."""
    app = t.app
    build_namespace(k8s, chart, t)
    if app.service_account:
        k8s.KubeServiceAccount(chart, "service-account", metadata=meta(k8s, t),
                               automount_service_account_token=app.mount_service_account_token)
    if app.config:
        k8s.KubeConfigMap(chart, "config", metadata=meta(k8s, t), data=dict(sorted(app.config.items())))


def progress_deadline(app: Any) -> int:
    """The declared deadline, raised to cover the startup budget when that is longer: a weights
    download (init container), then the startup probe, then the first readiness check."""
    readiness, _, startup = app.probes()
    budget = startup.budget_seconds() if startup is not None else 0
    if readiness is not None:
        budget += readiness.initial_delay_seconds + readiness.period_seconds
    weights = getattr(app, "weights", None)
    if weights is not None and weights.source == "init":
        budget += weights.download_seconds
    return max(app.progress_deadline_seconds, budget + PROGRESS_MARGIN_SECONDS if budget else 0)


def min_available_replicas(app: Any) -> int:
    return app.autoscaling.min_replicas if app.autoscaling else app.replicas


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


def service_ports(k8s: ModuleType, app: Any) -> list[Any]:
    return [k8s.ServicePort(name=p.name, port=p.service_port or p.port, protocol=p.protocol,
                            target_port=int_or_string(k8s, p.name)) for p in app.ports]


def build_pdb(k8s: ModuleType, chart: Chart, t: Target) -> None:
    # Voluntary disruptions (node drains) take one pod at a time and never block forever: pods that
    # are not ready may always be evicted (a crash-looping replica must not hold a drain).
    k8s.KubePodDisruptionBudget(chart, "pdb", metadata=meta(k8s, t), spec=k8s.PodDisruptionBudgetSpec(
        max_unavailable=int_or_string(k8s, 1), unhealthy_pod_eviction_policy="AlwaysAllow",
        selector=k8s.LabelSelector(match_labels=t.selector_labels())))


def server_extras(k8s: ModuleType, t: Target) -> PodExtras:
    """A ModelServer's shutdown (leave the endpoints, then drain) and its weights."""
    extras = weights_extras(k8s, t)
    if isinstance(t.app, ModelServer):
        extras = dataclasses.replace(extras, pre_stop_sleep=t.app.PRE_STOP_SLEEP_SECONDS,
                                     termination_grace=t.app.termination_grace_seconds)
    return extras


def weights_extras(k8s: ModuleType, t: Target) -> PodExtras:
    """A ModelServer's weights: a read-only claim, or an emptyDir an init container fills first."""
    weights = getattr(t.app, "weights", None)
    if weights is None:
        return PodExtras()
    mount = k8s.VolumeMount(name=WEIGHTS_VOLUME, mount_path=weights.mount_path, read_only=True,
                            sub_path=weights.sub_path)
    if weights.source == "pvc":
        volume = k8s.Volume(name=WEIGHTS_VOLUME, persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource(
            claim_name=weights.claim, read_only=True))
        return PodExtras(volumes=(volume,), mounts=(mount,))
    volume = k8s.Volume(name=WEIGHTS_VOLUME, empty_dir=k8s.EmptyDirVolumeSource(
        size_limit=quantity(k8s, weights.size)))
    res = t.app.resources
    fetch = k8s.Container(
        name="fetch-weights", image=weights.image, command=list(weights.command), args=list(weights.args) or None,
        image_pull_policy="Always", env=env_vars(k8s, dict(weights.env)) or None,
        # The download needs CPU and memory but never the GPU.
        resources=resource_requirements(k8s, Resources(cpu=res.cpu, memory=res.memory) if res else None),
        volume_mounts=[k8s.VolumeMount(name=WEIGHTS_VOLUME, mount_path=weights.mount_path),
                       k8s.VolumeMount(name=TMP_VOLUME, mount_path="/tmp")],
        security_context=security_context(k8s))
    return PodExtras(volumes=(volume,), mounts=(mount,), init_containers=(fetch,))


def build(k8s: ModuleType, chart: Chart, t: Target[Service]) -> None:
    app = t.app
    build_common(k8s, chart, t)
    build_claims(k8s, chart, t, meta)
    several = min_available_replicas(app) > 1
    k8s.KubeDeployment(chart, "deployment", metadata=workload_meta(k8s, t), spec=k8s.DeploymentSpec(
        # An autoscaler owns the replica count: a fixed value here would fight it on every sync.
        replicas=None if app.autoscaling else app.replicas,
        revision_history_limit=5,
        progress_deadline_seconds=progress_deadline(app),
        selector=k8s.LabelSelector(match_labels=t.selector_labels()),
        strategy=k8s.DeploymentStrategy(type="RollingUpdate", rolling_update=k8s.RollingUpdateDeployment(
            max_surge=int_or_string(k8s, app.max_surge), max_unavailable=int_or_string(k8s, app.max_unavailable))),
        template=pod_template(k8s, t, spread=several, extras=server_extras(k8s, t)),
    ))
    if app.service is not None:
        build_service(k8s, chart, t, headless=app.service == "Headless", ports=service_ports(k8s, app))
    if app.ingress is not None:
        ing = app.ingress
        port_name = ing.port or app.ports[0].name
        backend = k8s.IngressBackend(service=k8s.IngressServiceBackend(
            name=app.name, port=k8s.ServiceBackendPort(name=port_name)))
        k8s.KubeIngress(chart, "ingress", metadata=meta(k8s, t, annotations=dict(ing.annotations)), spec=k8s.IngressSpec(
            ingress_class_name=ing.class_name or t.cluster.ingress_class,
            rules=[k8s.IngressRule(host=ing.host, http=k8s.HttpIngressRuleValue(paths=[
                k8s.HttpIngressPath(path=ing.path, path_type=ing.path_type, backend=backend)]))],
            tls=[k8s.IngressTls(hosts=[ing.host], secret_name=ing.tls_secret)] if ing.tls_secret else None,
        ))
    if app.autoscaling is not None:
        build_autoscaler(k8s, chart, t, "Deployment", meta(k8s, t))
    # A model server's capacity is slow to come back: a drain or node-pool upgrade never takes two
    # loaded replicas at once, whatever the replica count an autoscaler picks.
    if several or isinstance(app, ModelServer):
        build_pdb(k8s, chart, t)
