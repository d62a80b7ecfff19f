"""Service -> Deployment, Service, Ingress, HorizontalPodAutoscaler and PodDisruptionBudget (plus the
namespace, identity, config and claims of every kind). `build_deployment` is shared with Worker and
ModelServer, which differ only in what they add to the pod and when they get a PDB."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from ...manifests.probes import start_budget
from ..context import Target
from ..pod import PodExtras, int_or_string, pod_template
from ..keda import build_scaled_object
from ..scaling import build_autoscaler
from ..storage import build_claims
from .base import build_common, build_pdb, build_service, meta, min_available_replicas, service_ports, workload_meta

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.service import Service

# A rollout may take this long beyond the startup budget before it counts as stuck.
PROGRESS_MARGIN_SECONDS = 120


def progress_deadline(app: Service) -> int:
    """The declared deadline, raised to cover the startup budget when that is longer: a weights
    download (init container), then the probes' worst case (`manifests.probes.start_budget`)."""
    readiness, _, startup = app.probes()
    budget = start_budget(startup, readiness)
    weights = getattr(app, "weights", None)
    if weights is not None and weights.source == "init":
        budget += weights.download_seconds
    return max(app.progress_deadline_seconds, budget + PROGRESS_MARGIN_SECONDS if budget else 0)


def build(k8s: ModuleType, chart: Chart, t: Target[Service]) -> None:
    build_deployment(k8s, chart, t, extras=PodExtras(), always_pdb=False)


def build_deployment(k8s: ModuleType, chart: Chart, t: Target[Service], extras: PodExtras, always_pdb: bool) -> None:
    """The Deployment and what goes with it; `extras` is what the kind adds to the pod, `always_pdb`
    gives a PodDisruptionBudget at any replica count (otherwise only when two or more run)."""
    app = t.app
    build_common(k8s, chart, t)
    build_claims(k8s, chart, t, meta)
    several = min_available_replicas(app) > 1
    k8s.KubeDeployment(chart, "deployment", metadata=workload_meta(k8s, t), spec=k8s.DeploymentSpec(
        # An autoscaler owns the replica count: a fixed value here would fight it on every sync.
        replicas=None if app.autoscaling or app.event_scaling else app.replicas,
        revision_history_limit=5,
        progress_deadline_seconds=progress_deadline(app),
        selector=k8s.LabelSelector(match_labels=t.selector_labels()),
        strategy=k8s.DeploymentStrategy(type="RollingUpdate", rolling_update=k8s.RollingUpdateDeployment(
            max_surge=int_or_string(k8s, app.max_surge), max_unavailable=int_or_string(k8s, app.max_unavailable))),
        template=pod_template(k8s, t, spread=several, extras=extras),
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
    elif app.event_scaling is not None:  # KEDA makes and owns the HPA: none is written here
        build_scaled_object(chart, t, "Deployment")
    if several or always_pdb:
        build_pdb(k8s, chart, t)
