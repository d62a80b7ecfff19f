"""StatefulService -> StatefulSet with volumeClaimTemplates, headless Service, PDB, HPA."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from ..context import Target
from ..pod import PodExtras, claim_spec, pod_template
from ..keda import build_scaled_object
from ..scaling import build_autoscaler
from ..storage import build_claims
from .base import build_common, build_pdb, build_service, meta, min_available_replicas, service_ports, workload_meta

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.stateful_service import StatefulService


def client_service_name(app: StatefulService) -> str:
    return f"{app.name}-client"


def build(k8s: ModuleType, chart: Chart, t: Target[StatefulService]) -> None:
    app = t.app
    build_common(k8s, chart, t)
    build_claims(k8s, chart, t, meta, owned=False)
    several = min_available_replicas(app) > 1
    templates = [k8s.KubePersistentVolumeClaimProps(metadata=k8s.ObjectMeta(name=v.name, labels=t.selector_labels()),
                                                    spec=claim_spec(k8s, t, v))
                 for v in app.volumes if v.owned_claim]
    retain = "Retain" if app.keep_claims else "Delete"
    k8s.KubeStatefulSet(chart, "statefulset", metadata=workload_meta(k8s, t), spec=k8s.StatefulSetSpec(
        replicas=None if app.autoscaling or app.event_scaling else app.replicas,
        service_name=app.name,
        pod_management_policy=app.pod_management,
        revision_history_limit=5,
        selector=k8s.LabelSelector(match_labels=t.selector_labels()),
        update_strategy=k8s.StatefulSetUpdateStrategy(type="RollingUpdate"),
        persistent_volume_claim_retention_policy=k8s.StatefulSetPersistentVolumeClaimRetentionPolicy(
            when_deleted=retain, when_scaled=retain),
        template=pod_template(k8s, t, spread=several, extras=PodExtras(claim_templates=True)),
        volume_claim_templates=templates,
    ))
    # Members must find each other before they are ready (cluster bootstrap), hence not-ready addresses.
    build_service(k8s, chart, t, headless=True, ports=service_ports(k8s, app), publish_not_ready=True)
    # Clients get their own Service: one address, ready members only (the headless one also lists
    # members still joining).
    build_service(k8s, chart, t, headless=False, ports=service_ports(k8s, app), name=client_service_name(app))
    if app.autoscaling is not None:
        build_autoscaler(k8s, chart, t, "StatefulSet", meta(k8s, t))
    elif app.event_scaling is not None:
        build_scaled_object(chart, t, "StatefulSet")
    if several:
        build_pdb(k8s, chart, t)
