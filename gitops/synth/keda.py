"""EventScaling -> KEDA objects: a ScaledObject (for a Deployment) or a ScaledJob (for a Job), and a
TriggerAuthentication for each trigger that needs credentials.

KEDA makes and owns the HorizontalPodAutoscaler of a ScaledObject (named keda-hpa-<name>), and its
admission webhook refuses a ScaledObject whose target another HPA already scales
(kedacore/keda `apis/keda/v1alpha1/scaledobject_webhook.go`), so no HPA is written beside one.
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..spec.parts.event_scaling import EventScaling, Trigger
from .context import Target
from .custom import as_json, custom_object, object_metadata

if TYPE_CHECKING:
    from cdk8s import Chart

KEDA_API = "keda.sh/v1alpha1"
# Providers whose identity may be the workload's own (its ServiceAccount's cloud role) rather than
# the KEDA operator's: KEDA's `identityOwner: workload`.
WORKLOAD_OWNED_IDENTITY = ("aws",)


def auth_name(t: Target, trigger: Trigger) -> str:
    return f"{t.app.name}-{trigger.label}"


def build_trigger_auths(chart: Chart, t: Target, scaling: EventScaling) -> None:
    for trigger in scaling.triggers:
        if not trigger.needs_auth:
            continue
        spec: dict[str, Any] = {}
        if trigger.secrets:
            spec["secretTargetRef"] = [{"parameter": parameter, "name": ref.name, "key": ref.key}
                                       for parameter, ref in sorted(trigger.secrets.items())]
        if trigger.identity is not None:
            identity = {"provider": trigger.identity}
            if trigger.identity in WORKLOAD_OWNED_IDENTITY:
                identity["identityOwner"] = "workload"
            spec["podIdentity"] = identity
        custom_object(chart, f"trigger-auth-{trigger.label}", KEDA_API, "TriggerAuthentication",
                      object_metadata(t, name=auth_name(t, trigger)), spec)


def triggers(t: Target, scaling: EventScaling) -> list[dict[str, Any]]:
    out = []
    for trigger in scaling.triggers:
        entry: dict[str, Any] = {"type": trigger.type, "metadata": dict(sorted(trigger.metadata.items()))}
        if trigger.name:
            entry["name"] = trigger.name
        if trigger.needs_auth:
            entry["authenticationRef"] = {"name": auth_name(t, trigger)}
        out.append(entry)
    return out


def build_scaled_object(chart: Chart, t: Target, kind: str = "Deployment") -> None:
    scaling: EventScaling = t.app.event_scaling
    build_trigger_auths(chart, t, scaling)
    custom_object(chart, "scaled-object", KEDA_API, "ScaledObject", object_metadata(t), {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": t.app.name},
        "minReplicaCount": scaling.min_replicas,
        "maxReplicaCount": scaling.max_replicas,
        "pollingInterval": scaling.polling_seconds,
        "cooldownPeriod": scaling.cooldown_seconds,
        "advanced": {"horizontalPodAutoscalerConfig": {"behavior": {"scaleDown": {
            "stabilizationWindowSeconds": scaling.scale_down_stabilization_seconds}}}},
        "triggers": triggers(t, scaling),
    })


def build_scaled_job(k8s: ModuleType, chart: Chart, t: Target, job_spec: Any, job_meta: Any) -> None:
    """A ScaledJob whose Jobs are the Job the spec describes (same pod template, limits, failure policy)."""
    scaling: EventScaling = t.app.event_scaling
    build_trigger_auths(chart, t, scaling)
    job = as_json(lambda scratch: k8s.KubeJob(scratch, "job", metadata=job_meta, spec=job_spec))
    spec = job["spec"]
    spec.pop("ttlSecondsAfterFinished", None)  # KEDA keeps the history limits below instead
    custom_object(chart, "scaled-job", KEDA_API, "ScaledJob", object_metadata(t), {
        "jobTargetRef": spec,
        "minReplicaCount": scaling.min_replicas,
        "maxReplicaCount": scaling.max_replicas,
        "pollingInterval": scaling.polling_seconds,
        "successfulJobsHistoryLimit": scaling.successful_jobs_history,
        "failedJobsHistoryLimit": scaling.failed_jobs_history,
        "scalingStrategy": {"strategy": scaling.strategy},
        "triggers": triggers(t, scaling),
    })
