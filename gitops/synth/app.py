"""App (a long-running server or worker) -> Namespace, ServiceAccount, ConfigMap, Deployment,
Service, Ingress, HorizontalPodAutoscaler, PodDisruptionBudget."""
from __future__ import annotations

from typing import Any

from .context import Target
from .pod import int_or_string, pod_template

# A rollout may take this long beyond the startup budget before it counts as stuck.
PROGRESS_MARGIN_SECONDS = 120


def meta(k8s: Any, t: Target, name: str | None = None, annotations: dict | None = None) -> Any:
    return k8s.ObjectMeta(name=name or t.app.name, namespace=t.namespace, labels=t.labels(),
                          annotations=annotations or None)


def build_namespace(k8s: Any, chart: Any, t: Target) -> None:
    labels = {**t.labels(), "pod-security.kubernetes.io/enforce": "restricted"}
    k8s.KubeNamespace(chart, "namespace", metadata=k8s.ObjectMeta(name=t.namespace, labels=labels))


def progress_deadline(app: Any) -> int:
    """The declared deadline, raised to cover the startup probe's budget when that is longer."""
    budget = 0
    if app.startup is not None:
        budget = app.startup.budget_seconds()
    if app.readiness is not None:
        budget += app.readiness.initial_delay_seconds + app.readiness.period_seconds
    return max(app.progress_deadline_seconds, budget + PROGRESS_MARGIN_SECONDS if budget else 0)


def min_available_replicas(app: Any) -> int:
    return app.autoscaling.min_replicas if app.autoscaling else app.replicas


def build(k8s: Any, chart: Any, t: Target) -> None:
    app = t.app
    build_namespace(k8s, chart, t)
    if app.service_account:
        k8s.KubeServiceAccount(chart, "service-account", metadata=meta(k8s, t),
                               automount_service_account_token=app.mount_service_account_token)
    if app.config:
        k8s.KubeConfigMap(chart, "config", metadata=meta(k8s, t), data=dict(sorted(app.config.items())))
    several = min_available_replicas(app) > 1
    k8s.KubeDeployment(chart, "deployment", metadata=meta(k8s, t), spec=k8s.DeploymentSpec(
        # An autoscaler owns the replica count: a fixed value here would fight it on every sync.
        replicas=None if app.autoscaling else app.replicas,
        revision_history_limit=5,
        progress_deadline_seconds=progress_deadline(app),
        selector=k8s.LabelSelector(match_labels=t.selector_labels()),
        strategy=k8s.DeploymentStrategy(type="RollingUpdate", rolling_update=k8s.RollingUpdateDeployment(
            max_surge=int_or_string(k8s, app.max_surge), max_unavailable=int_or_string(k8s, app.max_unavailable))),
        template=pod_template(k8s, t, spread=several),
    ))
    if app.service is not None:
        k8s.KubeService(chart, "service", metadata=meta(k8s, t), spec=k8s.ServiceSpec(
            type="ClusterIP" if app.service == "Headless" else app.service,
            cluster_ip="None" if app.service == "Headless" else None,
            selector=t.selector_labels(),
            ports=[k8s.ServicePort(name=p.name, port=p.service_port or p.port, protocol=p.protocol,
                                   target_port=int_or_string(k8s, p.name)) for p in app.ports],
        ))
    if app.ingress is not None:
        ing = app.ingress
        port_name = ing.port or app.ports[0].name
        backend = k8s.IngressBackend(service=k8s.IngressServiceBackend(
            name=app.name, port=k8s.ServiceBackendPort(name=port_name)))
        k8s.KubeIngress(chart, "ingress", metadata=meta(k8s, t, annotations=dict(ing.annotations)), spec=k8s.IngressSpec(
            ingress_class_name=ing.class_name,
            rules=[k8s.IngressRule(host=ing.host, http=k8s.HttpIngressRuleValue(paths=[
                k8s.HttpIngressPath(path=ing.path, path_type=ing.path_type, backend=backend)]))],
            tls=[k8s.IngressTls(hosts=[ing.host], secret_name=ing.tls_secret)] if ing.tls_secret else None,
        ))
    if app.autoscaling is not None:
        build_autoscaler(k8s, chart, t, "Deployment")
    if several:
        # Voluntary disruptions (node drains) take one pod at a time and never block forever.
        k8s.KubePodDisruptionBudget(chart, "pdb", metadata=meta(k8s, t), spec=k8s.PodDisruptionBudgetSpec(
            max_unavailable=int_or_string(k8s, 1),
            selector=k8s.LabelSelector(match_labels=t.selector_labels())))


def build_autoscaler(k8s: Any, chart: Any, t: Target, kind: str) -> None:
    scaling = t.app.autoscaling
    metrics = []
    for resource, percent in (("cpu", scaling.cpu_percent), ("memory", scaling.memory_percent)):
        if percent is not None:
            metrics.append(k8s.MetricSpecV2(type="Resource", resource=k8s.ResourceMetricSourceV2(
                name=resource, target=k8s.MetricTargetV2(type="Utilization", average_utilization=percent))))
    k8s.KubeHorizontalPodAutoscalerV2(chart, "hpa", metadata=meta(k8s, t), spec=k8s.HorizontalPodAutoscalerSpecV2(
        min_replicas=scaling.min_replicas, max_replicas=scaling.max_replicas,
        scale_target_ref=k8s.CrossVersionObjectReferenceV2(api_version="apps/v1", kind=kind, name=t.app.name),
        metrics=metrics,
        # Scale down slowly (5 minutes of lower load) so a short dip does not drop warm replicas.
        behavior=k8s.HorizontalPodAutoscalerBehaviorV2(
            scale_down=k8s.HpaScalingRulesV2(stabilization_window_seconds=300)),
    ))
