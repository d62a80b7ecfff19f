"""Job -> a batch/v1 Job (plus namespace, identity, config and claims). The Job spec, the run-once
metadata and the pod failure policy are shared with CronJob and TrainingJob."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..context import Target
from ..pod import PodExtras, pod_template
from ..custom import metadata_json
from ..keda import build_scaled_job
from ..kueue import build_local_queue, queue_labels, starts_suspended, with_labels
from ..storage import build_claims
from .base import build_common, meta, workload_meta

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.job import Job
    from ...spec.kinds.training_job import TrainingJob

# A run-once Job under Argo CD or Flux: a changed Job is deleted and created again (its pod template
# is immutable, a patch would fail), an unchanged one is left alone. docs/jobs.md explains why.
REPLACE_ON_CHANGE = {
    "argocd.argoproj.io/sync-options": "Force=true,Replace=true",
    "kustomize.toolkit.fluxcd.io/force": "enabled",
}


def run_once_meta(k8s: ModuleType, t: Target) -> Any:
    return workload_meta(k8s, t, REPLACE_ON_CHANGE)


def pod_failure_policy(k8s: ModuleType, app: Job | TrainingJob) -> Any:
    """The spec's own rules first; then disruptions (preemption, node drain, eviction) do not count
    as failures; everything else does."""
    rules = [_rule(k8s, rule.as_dict()) for rule in app.pod_failure_rules]
    if not any(r.condition_type == "DisruptionTarget" for r in app.pod_failure_rules):
        rules.append(k8s.PodFailurePolicyRule(action="Ignore", on_pod_conditions=[
            k8s.PodFailurePolicyOnPodConditionsPattern(type="DisruptionTarget", status="True")]))
    return k8s.PodFailurePolicy(rules=rules)


def _rule(k8s: ModuleType, rule: dict) -> Any:
    codes = rule.get("onExitCodes")
    return k8s.PodFailurePolicyRule(
        action=rule["action"],
        on_exit_codes=k8s.PodFailurePolicyOnExitCodesRequirement(
            operator=codes["operator"], values=codes["values"], container_name=codes.get("containerName"))
        if codes else None,
        on_pod_conditions=[k8s.PodFailurePolicyOnPodConditionsPattern(type=c["type"], status=c["status"])
                           for c in rule.get("onPodConditions", [])] or None)


def job_spec(k8s: ModuleType, t: Target) -> Any:
    app = t.app
    never = app.restart_policy == "Never"  # a pod failure policy needs restartPolicy Never
    return k8s.JobSpec(
        backoff_limit=app.backoff_limit if app.backoff_limit is not None or app.backoff_limit_per_index is not None
        else 2,
        backoff_limit_per_index=app.backoff_limit_per_index,
        active_deadline_seconds=app.active_deadline_seconds,
        ttl_seconds_after_finished=app.ttl_seconds_after_finished,
        parallelism=app.parallelism,
        completions=app.completions,
        completion_mode=app.completion_mode,
        pod_failure_policy=pod_failure_policy(k8s, app) if never else None,
        pod_replacement_policy=app.pod_replacement_policy,
        suspend=True if starts_suspended(t) else None,  # Kueue resumes it once admitted
        template=pod_template(k8s, t, extras=PodExtras(restart_policy=app.restart_policy)),
    )


def build(k8s: ModuleType, chart: Chart, t: Target[Job]) -> None:
    build_common(k8s, chart, t)
    build_claims(k8s, chart, t, meta)
    if t.app.event_scaling is not None:  # a batch consumer: KEDA starts Jobs like this one per messages
        build_scaled_job(k8s, chart, t, job_spec(k8s, t), metadata_json(workload_meta(k8s, t)))
        return
    build_local_queue(chart, t)
    k8s.KubeJob(chart, "job", metadata=with_labels(k8s, run_once_meta(k8s, t), queue_labels(t)), spec=job_spec(k8s, t))
