"""TrainingJob(output="jobset") -> a JobSet (jobset.x-k8s.io/v1alpha2) that restarts as a gang.

Layout: replicated job `leader` (one Job, one pod: node rank 0, the rendezvous host) and
`workers` (nodes - 1 Jobs of one pod each). Every pod gets the torchrun environment of the
Indexed Job output; NODE_RANK is the JobSet's global Job index (leader 0, workers 1..n-1), which
the JobSet controller writes on each pod as the annotation `jobset.sigs.k8s.io/job-global-index`,
and MASTER_ADDR the leader pod's stable name (<jobset>-leader-0-0.<subdomain>), which the JobSet's
own headless Service resolves (`network.enableDNSHostnames`).

Restarts (kubernetes-sigs/jobset at 08dfbdf, `site/content/en/docs/tasks/failure_policy.md`,
"Handling Host Maintenance Events"): each child Job fails on its first pod failure
(backoffLimit 0); a pod failure caused by a disruption (preemption, node drain: the pod condition
DisruptionTarget) fails the Job through its pod failure policy, and the JobSet rule
`RestartJobSetAndIgnoreMaxRestarts` on reason `PodFailurePolicy` recreates every Job without
counting it; any other failure restarts the whole gang too (the default RestartJobSet) and counts
against `failurePolicy.maxRestarts` (max_restarts), after which the JobSet fails.

Exclusive placement (exclusive_topology="rack"): the whole gang in one domain of that level, and
no other JobSet's pods in it. JobSet's own annotation `alpha.jobset.sigs.k8s.io/exclusive-topology`
works per child Job (`api/jobset/v1alpha2/jobset_types.go`, ExclusiveKey); here a child Job is one
node, so it would spread the nodes one per domain. The same rule is written at the level of the
JobSet instead, with the pod labels JobSet sets (`jobset-name`, `replicatedjob-name`): workers
must share the leader's domain, and every pod refuses a domain holding another JobSet's pods.
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import SpecError
from .kinds.job import run_once_meta
from .context import Target
from .custom import as_json, custom_object, metadata_json
from .kueue import queue_labels, starts_suspended
from .pod import PodExtras, pod_template

if TYPE_CHECKING:
    from cdk8s import Chart

    from ..spec.kinds.training_job import TrainingJob

JOBSET_API = "jobset.x-k8s.io/v1alpha2"
LEADER, WORKERS = "leader", "workers"
GLOBAL_INDEX = "metadata.annotations['jobset.sigs.k8s.io/job-global-index']"
JOBSET_NAME_LABEL = "jobset.sigs.k8s.io/jobset-name"
REPLICATED_JOB_LABEL = "jobset.sigs.k8s.io/replicatedjob-name"
RESTART_ON_PREEMPTION = "restart-on-preemption"


def leader_address(t: Target) -> str:
    return f"{t.app.name}-{LEADER}-0-0.{t.app.name}.{t.namespace}.svc"


def topology_label(t: Target) -> str | None:
    level = getattr(t.app, "exclusive_topology", None)
    if level is None:
        return None
    labels = dict(t.cluster.topology_labels)
    if level not in labels:
        raise SpecError(f"got {level!r}, but cluster profile {t.cluster.name!r} (environment {t.env}) knows no such "
                        f"topology label; it knows: {', '.join(sorted(labels)) or 'none'} (topologyLabels in "
                        "gitops.yaml), or override exclusive_topology for this environment",
                        file=t.spec_file, line=t.spec_line, app=t.app.name, field="exclusive_topology")
    return labels[level]


def _exclusive(pod_spec: dict[str, Any], t: Target, label: str, follow_leader: bool) -> None:
    affinity = pod_spec.setdefault("affinity", {})
    others = {"labelSelector": {"matchExpressions": [
        {"key": JOBSET_NAME_LABEL, "operator": "Exists"},
        {"key": JOBSET_NAME_LABEL, "operator": "NotIn", "values": [t.app.name]}]}, "topologyKey": label}
    affinity.setdefault("podAntiAffinity", {}).setdefault("requiredDuringSchedulingIgnoredDuringExecution",
                                                           []).append(others)
    if follow_leader:
        leader = {"labelSelector": {"matchLabels": {JOBSET_NAME_LABEL: t.app.name, REPLICATED_JOB_LABEL: LEADER}},
                  "topologyKey": label}
        affinity.setdefault("podAffinity", {}).setdefault("requiredDuringSchedulingIgnoredDuringExecution",
                                                           []).append(leader)


def child_job(k8s: ModuleType, t: Target, env: list[Any], volume: Any, mount: Any, resources: Any,
              follow_leader: bool) -> dict[str, Any]:
    """The Job template of a replicated job: one pod, failed at its first failure, failed through the
    pod failure policy (so the JobSet can tell) when the pod was disrupted."""
    extras = PodExtras(restart_policy="Never", env=tuple(env), volumes=(volume,), mounts=(mount,), resources=resources)
    policy = k8s.PodFailurePolicy(rules=[k8s.PodFailurePolicyRule(
        action="FailJob", on_pod_conditions=[k8s.PodFailurePolicyOnPodConditionsPattern(
            type="DisruptionTarget", status="True")])])
    spec = k8s.JobSpec(parallelism=1, completions=1, backoff_limit=0, pod_failure_policy=policy,
                       template=pod_template(k8s, t, extras=extras))
    job = as_json(lambda chart: k8s.KubeJob(chart, "job", spec=spec))["spec"]
    label = topology_label(t)
    if label is not None:
        _exclusive(job["template"]["spec"], t, label, follow_leader)
    return {"spec": job}


def build_jobset(k8s: ModuleType, chart: Chart, t: Target[TrainingJob], env: list[Any], volume: Any, mount: Any,
                 resources: Any) -> None:
    app = t.app
    replicated = [{"name": LEADER, "replicas": 1,
                   "template": child_job(k8s, t, env, volume, mount, resources, follow_leader=False)}]
    if app.nodes > 1:
        replicated.append({"name": WORKERS, "replicas": app.nodes - 1,
                           "template": child_job(k8s, t, env, volume, mount, resources, follow_leader=True)})
    metadata = metadata_json(run_once_meta(k8s, t))
    metadata["labels"] = {**metadata["labels"], **queue_labels(t)}
    spec: dict[str, Any] = {
        "failurePolicy": {"maxRestarts": app.max_restarts, "rules": [{
            "name": RESTART_ON_PREEMPTION, "action": "RestartJobSetAndIgnoreMaxRestarts",
            "onJobFailureReasons": ["PodFailurePolicy"]}]},
        "network": {"enableDNSHostnames": True, "publishNotReadyAddresses": True, "subdomain": app.name},
        "replicatedJobs": replicated,
        "successPolicy": {"operator": "All"},
    }
    if starts_suspended(t):
        spec["suspend"] = True
    custom_object(chart, "jobset", JOBSET_API, "JobSet", metadata, spec)
