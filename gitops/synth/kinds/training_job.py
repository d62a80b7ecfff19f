"""TrainingJob -> an Indexed Job with a headless Service for worker discovery (output "job"), or a
Kubeflow Trainer TrainJob on a torch ClusterTrainingRuntime (output "kubeflow")."""
from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..context import Target
from ..pod import PodExtras, field_env, int_or_string, pod_spec, pod_template, quantity
from ..custom import custom_object, metadata_json
from ..jobset import GLOBAL_INDEX, build_jobset, leader_address
from ..kueue import build_local_queue, queue_labels, starts_suspended, with_labels
from ..storage import build_claims
from .base import build_common, build_service, meta
from .job import pod_failure_policy, run_once_meta

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.training_job import TrainingJob
    from ...spec.parts.resources import Resources

SHM_VOLUME = "dshm"
MASTER_PORT_NAME = "rendezvous"
# Set by the Job controller on each pod of an Indexed Job: the pod's index, 0..completions-1.
COMPLETION_INDEX = "metadata.annotations['batch.kubernetes.io/job-completion-index']"
TRAINER_API = "trainer.kubeflow.org/v1alpha1"
# The replicated job and container names in Kubeflow's torch runtimes, which overrides target.
TRAINER_NODE = "node"
# Who owns our entry of spec.runtimePatches (the Trainer API keys the list by manager).
PATCH_MANAGER = "gitops.dev/gitops"


def master_address(t: Target) -> str:
    """Pod 0's DNS name: Indexed Job pods are named <job>-<index>, and the subdomain makes them
    resolvable through the headless Service of the same name."""
    return f"{t.app.name}-0.{t.app.name}.{t.namespace}.svc"


def launcher_env(k8s: ModuleType, t: Target, master: str | None = None, rank_field: str = COMPLETION_INDEX) -> list[Any]:
    """What torchrun needs, plain and as PET_* (torchrun reads its flags from PET_<FLAG>): node 0's
    address and where each pod reads its rank (the Indexed Job's completion index by default)."""
    app = t.app
    plain = {"MASTER_ADDR": master or master_address(t), "MASTER_PORT": str(app.master_port), "NNODES": str(app.nodes),
             "NPROC_PER_NODE": str(app.processes_per_node), "WORLD_SIZE": str(app.world_size)}
    env = {**plain, **{f"PET_{k}": v for k, v in plain.items() if k != "WORLD_SIZE"}}
    out = [k8s.EnvVar(name=name, value=env[name]) for name in sorted(env)]
    out += [field_env(k8s, "NODE_RANK", rank_field), field_env(k8s, "PET_NODE_RANK", rank_field)]
    return out


def shm(k8s: ModuleType, t: Target) -> tuple[Any, Any]:
    # A RAM-backed /dev/shm of a declared size: the container default (64Mi) breaks DataLoader workers.
    volume = k8s.Volume(name=SHM_VOLUME, empty_dir=k8s.EmptyDirVolumeSource(
        medium="Memory", size_limit=quantity(k8s, t.app.shm_size)))
    return volume, k8s.VolumeMount(name=SHM_VOLUME, mount_path="/dev/shm")


def node_resources(app: TrainingJob) -> Resources:
    assert app.resources is not None  # a TrainingJob requires resources (checked on construction)
    return dataclasses.replace(app.resources, gpu=app.gpus_per_node)


def build(k8s: ModuleType, chart: Chart, t: Target[TrainingJob]) -> None:
    build_common(k8s, chart, t)
    build_claims(k8s, chart, t, meta)
    build_local_queue(chart, t)
    if t.app.output == "kubeflow":
        build_trainjob(k8s, chart, t)
    elif t.app.output == "jobset":
        volume, mount = shm(k8s, t)
        build_jobset(k8s, chart, t, launcher_env(k8s, t, leader_address(t), GLOBAL_INDEX), volume, mount,
                     node_resources(t.app))
    else:
        build_indexed_job(k8s, chart, t)


def build_indexed_job(k8s: ModuleType, chart: Chart, t: Target[TrainingJob]) -> None:
    app = t.app
    volume, mount = shm(k8s, t)
    extras = PodExtras(restart_policy="Never", env=tuple(launcher_env(k8s, t)), volumes=(volume,), mounts=(mount,),
                       subdomain=app.name, resources=node_resources(app))
    # Workers must resolve node 0 before anyone is ready, hence publishNotReadyAddresses.
    build_service(k8s, chart, t, headless=True, publish_not_ready=True, ports=[k8s.ServicePort(
        name=MASTER_PORT_NAME, port=app.master_port, protocol="TCP",
        target_port=int_or_string(k8s, app.master_port))])
    k8s.KubeJob(chart, "job", metadata=with_labels(k8s, run_once_meta(k8s, t), queue_labels(t)), spec=k8s.JobSpec(
        suspend=True if starts_suspended(t) else None,  # Kueue resumes it once admitted
        completion_mode="Indexed",
        completions=app.nodes,
        parallelism=app.nodes,  # every node at once: a collective needs all of them
        backoff_limit=app.failures_allowed,
        pod_failure_policy=pod_failure_policy(k8s, app),
        pod_replacement_policy=app.pod_replacement_policy,
        active_deadline_seconds=app.active_deadline_seconds,
        ttl_seconds_after_finished=app.ttl_seconds_after_finished,
        template=pod_template(k8s, t, extras=extras),
    ))


def build_trainjob(k8s: ModuleType, chart: Chart, t: Target[TrainingJob]) -> None:
    """There is no typed class for TrainJob: build the pod spec with the shared code in a scratch
    chart, take the parts a TrainJob accepts, and write them through a plain ApiObject."""
    import cdk8s

    app = t.app
    volume, mount = shm(k8s, t)
    scratch = cdk8s.Chart(cdk8s.App(outdir="/dev/null"), "scratch", disable_resource_name_hashes=True)
    extras = PodExtras(volumes=(volume,), mounts=(mount,), resources=node_resources(app))
    pod = k8s.KubePod(scratch, "pod", spec=pod_spec(k8s, t, extras)).to_json()["spec"]
    main = pod["containers"][0]
    trainer = {"image": app.image, "numNodes": app.nodes, "numProcPerNode": app.processes_per_node,
               "resourcesPerNode": main["resources"]}
    for key in ("command", "args", "env"):
        if key in main:
            trainer[key] = main[key]
    pod_patch: dict[str, Any] = {"volumes": pod["volumes"],
                                 "containers": [{"name": TRAINER_NODE, "volumeMounts": main["volumeMounts"]}]}
    for key in ("nodeSelector", "tolerations", "serviceAccountName"):
        if key in pod:
            pod_patch[key] = pod[key]
    # Trainer's current API: patches to the runtime's JobSet, keyed by manager; the pod template of
    # the "node" replicated job gets our volumes, mounts, node selection and identity.
    patch = {"manager": PATCH_MANAGER, "trainingRuntimeSpec": {"template": {"spec": {"replicatedJobs": [
        {"name": TRAINER_NODE, "template": {"spec": {"template": {"spec": pod_patch}}}}]}}}}
    spec = {
        "runtimeRef": {"apiGroup": "trainer.kubeflow.org", "kind": "ClusterTrainingRuntime", "name": app.runtime},
        "trainer": trainer,
        "activeDeadlineSeconds": app.active_deadline_seconds,
        "runtimePatches": [patch],
    }
    if starts_suspended(t):
        spec["suspend"] = True  # Kueue resumes it once admitted
    custom_object(chart, "trainjob", TRAINER_API, "TrainJob",
                  metadata_json(with_labels(k8s, run_once_meta(k8s, t), queue_labels(t))), spec)
