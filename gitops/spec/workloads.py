"""The workload kinds besides Service: Worker, StatefulService, ModelServer, Job, CronJob and
TrainingJob. Each declares its defaults once, next to the field, with the reason."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .frozen import FrozenDict
from .model import FromConfigMap, Probe, Service, Workload, looks_like_secret
from .parts import _Invalid, _int_in, _Part, _require, wrap_part_init
from .values import ENV_VAR_NAME, normalize_memory, parse_image, parse_quantity


@dataclass(frozen=True, kw_only=True)
class Worker(Service):
    """A long-running process without ports (a queue consumer): a Deployment, no Service.

    Autoscale it on CPU, memory or a queue metric: `Autoscaling(..., cpu_percent=None,
    metrics=[Metric.external("queue_depth", average_value=30)])`.
    """

    service: str | None = None
    component: str = "worker"

    KIND = "Worker"

    def _validate(self) -> None:
        super()._validate()
        _require(not self.ports, "ports", f"got {self.ports!r}; a Worker has no ports (use Service)")


@dataclass(frozen=True, kw_only=True)
class StatefulService(Service):
    """A server that keeps data: a StatefulSet, a headless Service (stable pod DNS names) and one
    PersistentVolumeClaim per pod for each `Volume.pvc(..., size=...)` (volumeClaimTemplates).

    Defaults, each with its reason:
    - service="Headless": peers address pods by their stable names (it lists members still joining);
      clients get `<name>-client`, a ClusterIP Service over the ready members only.
    - pod_management="OrderedReady": members join one by one, as most clustered stores expect.
    - keep_claims=True: claims outlive a scale-down or a deletion, so data is never lost by a
      config change (persistentVolumeClaimRetentionPolicy Retain).
    - component="database".
    max_surge and progress_deadline_seconds do not apply to a StatefulSet. Kubernetes refuses changes
    to volumeClaimTemplates: to grow a disk, resize its PVC, then change the spec to match.
    """

    service: str | None = "Headless"
    component: str = "database"
    pod_management: str = "OrderedReady"
    keep_claims: bool = True

    KIND = "StatefulService"

    def _validate(self) -> None:
        super()._validate()
        _require(self.service == "Headless", "service",
                 f"got {self.service!r}; a StatefulService is reached through its headless Service")
        _require(self.pod_management in ("OrderedReady", "Parallel"), "pod_management",
                 f"got {self.pod_management!r}; expected OrderedReady or Parallel")
        _require(isinstance(self.keep_claims, bool), "keep_claims", f"got {self.keep_claims!r}; expected True or False")
        _require(any(v.owned_claim for v in self.volumes), "volumes",
                 "a StatefulService needs storage: add Volume.pvc(name, path, size='10Gi')")


# --- model serving ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Weights(_Part):
    """Where a ModelServer's weights come from, mounted read-only at `mount_path`.

    - Weights.from_pvc("models-claim"): an existing claim that holds them (fast restarts).
    - Weights.download(image=..., command=[...]): an init container writes them into an emptyDir
      of `size` before the server starts (no shared storage needed; slower cold start).
      download_seconds=300: the longest the download may take. The startup probe only starts
      once it is done, so it counts into the rollout's progress deadline too.
    """

    source: str
    mount_path: str = "/models"
    claim: str | None = None
    sub_path: str | None = None
    image: str | None = None
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    env: Mapping[str, Any] = field(default_factory=FrozenDict)
    size: str = "20Gi"
    download_seconds: int = 300

    @classmethod
    def from_pvc(cls, claim: str, **kw: Any) -> "Weights":
        return cls(source="pvc", claim=claim, **kw)

    @classmethod
    def download(cls, image: str, command: list[str] | tuple[str, ...], **kw: Any) -> "Weights":
        return cls(source="init", image=image, command=tuple(command), **kw)

    def _validate(self) -> None:
        _require(self.source in ("pvc", "init"), "source", f"got {self.source!r}; expected pvc or init")
        _require(isinstance(self.mount_path, str) and self.mount_path.startswith("/"), "mount_path",
                 f"got {self.mount_path!r}; expected an absolute path")
        if self.source == "pvc":
            _require(isinstance(self.claim, str) and bool(self.claim), "claim", f"got {self.claim!r}; expected a claim name")
        else:
            try:
                parse_image(self.image)
            except ValueError as exc:
                raise _Invalid("image", str(exc)) from None
            _require(bool(self.command) and all(isinstance(c, str) for c in self.command), "command",
                     f"got {self.command!r}; expected the command that downloads the weights")
            object.__setattr__(self, "command", tuple(self.command))
            object.__setattr__(self, "args", tuple(self.args))
            _int_in(self.download_seconds, "download_seconds", 1, 86400)
            try:
                object.__setattr__(self, "size", normalize_memory(self.size))
            except ValueError as exc:
                raise _Invalid("size", str(exc)) from None
        _require(isinstance(self.env, Mapping) and all(
            isinstance(k, str) and ENV_VAR_NAME.match(k) and isinstance(v, (str, FromConfigMap)) for k, v in self.env.items()),
            "env", f"got {self.env!r}; expected a mapping of names to strings or FromSecret(...)")
        for key, value in self.env.items():
            _require(not (isinstance(value, str) and value and looks_like_secret(key)), f"env[{key!r}]",
                     "a credential must not be written in the spec; use FromSecret(name=..., key=...)")
        object.__setattr__(self, "env", FrozenDict(self.env))


@dataclass(frozen=True, kw_only=True)
class ModelServer(Service):
    """A Service with a model-serving profile: it loads large weights before it can answer.

    Defaults, each with its reason:
    - model_load_seconds=600: the startup budget. The startup probe (on `health_path`, every 10 s)
      allows this long before the kubelet restarts the container; a large initialDelaySeconds
      would instead delay every start, even warm ones. progressDeadlineSeconds is raised to cover
      it, so a slow but healthy rollout is not reported as failed.
    - readiness on `ready_path` (default: `health_path`) every 5 s with a 5 s timeout, 3 failures:
      traffic only reaches a replica whose model answers; a replica busy on its GPU (a long batch
      holds the server's event loop) answers slowly rather than not at all, hence 5 s, not 1 s.
    - liveness on `health_path` every 20 s with a 10 s timeout, 6 failures: a wedged server is
      restarted after two minutes without an answer, never because it was busy; only after the
      startup probe passed (liveness does not run before). Readiness and liveness thus differ.
    - drain_seconds=30 and a preStop sleep of 10 s: on shutdown the pod first leaves the Service's
      endpoints (the sleep lets kube-proxy and load balancers notice) and then has drain_seconds
      to finish the requests in flight; terminationGracePeriodSeconds is their sum.
    - max_unavailable=0 (enforced): a rollout never removes a loaded replica before its
      replacement has loaded; capacity of a model server is slow to get back.
    - a PodDisruptionBudget (one pod at a time) at any replica count: an autoscaler may add
      replicas, and a node-pool drain must never take two loaded replicas at once.
    - component="model-server".
    Explicit probes in the spec replace the derived ones.
    """

    component: str = "model-server"
    model_load_seconds: int = 600
    health_path: str = "/healthz"
    ready_path: str | None = None
    drain_seconds: int = 30
    weights: Weights | None = None

    PRE_STOP_SLEEP_SECONDS = 10

    KIND = "ModelServer"
    STARTUP_PERIOD_SECONDS = 10

    def _validate(self) -> None:
        super()._validate()
        _require(bool(self.ports), "ports", "a ModelServer serves requests: declare its port(s)")
        _int_in(self.model_load_seconds, "model_load_seconds", 10, 7200)
        _require(isinstance(self.health_path, str) and self.health_path.startswith("/"), "health_path",
                 f"got {self.health_path!r}; expected an absolute URL path such as /healthz")
        _require(self.ready_path is None or (isinstance(self.ready_path, str) and self.ready_path.startswith("/")),
                 "ready_path", f"got {self.ready_path!r}; expected an absolute URL path such as /ready")
        _int_in(self.drain_seconds, "drain_seconds", 0, 3600)
        _require(self.max_unavailable in (0, "0%"), "max_unavailable",
                 f"got {self.max_unavailable!r}; a ModelServer keeps every loaded replica until its replacement is ready (0)")
        _require(self.weights is None or isinstance(self.weights, Weights), "weights",
                 f"got {self.weights!r}; expected Weights.from_pvc(...) or Weights.download(...)")
        if self.weights is not None:
            names = {v.name for v in self.volumes}
            _require("model-weights" not in names, "volumes", "the volume name 'model-weights' is reserved for weights")

    def probes(self) -> tuple[Probe | None, Probe | None, Probe | None]:
        port = self.ports[0].name
        startup = self.startup or Probe.http(
            self.health_path, port=port, period_seconds=self.STARTUP_PERIOD_SECONDS, timeout_seconds=5,
            failure_threshold=max(1, math.ceil(self.model_load_seconds / self.STARTUP_PERIOD_SECONDS)))
        readiness = self.readiness or Probe.http(self.ready_path or self.health_path, port=port, period_seconds=5,
                                                 timeout_seconds=5, failure_threshold=3)
        liveness = self.liveness or Probe.http(self.health_path, port=port, period_seconds=20, timeout_seconds=10,
                                               failure_threshold=6)
        return readiness, liveness, startup

    @property
    def termination_grace_seconds(self) -> int:
        return self.PRE_STOP_SLEEP_SECONDS + self.drain_seconds


# --- batch ------------------------------------------------------------------------------------

RESTART_POLICIES = ("Never", "OnFailure")
_CRON_FIELD = r"(\*|\?|[0-9A-Za-z,\-/*]+)"
_CRON = re.compile(rf"^{_CRON_FIELD}( {_CRON_FIELD}){{4}}$")
_CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


def _batch_checks(spec: Any) -> None:
    if spec.backoff_limit is not None:
        _int_in(spec.backoff_limit, "backoff_limit", 0, 100)
    _int_in(spec.active_deadline_seconds, "active_deadline_seconds", 1)
    if spec.ttl_seconds_after_finished is not None:
        _int_in(spec.ttl_seconds_after_finished, "ttl_seconds_after_finished", 0)


@dataclass(frozen=True, kw_only=True)
class Job(Workload):
    """Work that runs to completion: a batch/v1 Job.

    Defaults, each with its reason:
    - restart_policy="Never": each retry is a new pod, so a failed attempt's logs stay readable
      ("OnFailure" restarts the container in place and loses them).
    - backoff_limit=None: 2 (a flaky failure is retried twice, then the Job fails visibly instead
      of retrying for a long time; Kubernetes' own default is 6), or no overall limit when
      backoff_limit_per_index gives each index its own.
    - active_deadline_seconds=3600: a hung Job is stopped after an hour instead of holding its
      nodes forever; raise it for longer work.
    - ttl_seconds_after_finished=None: a Job delivered by Argo CD or Flux must not be deleted by a
      TTL: self-heal (or Flux's next reconcile) would create it again and run it again. It stays,
      Complete, until a change to it replaces it (docs/jobs.md).
    - replaced, not patched: the Job carries `argocd.argoproj.io/sync-options: Force=true,Replace=true`
      and `kustomize.toolkit.fluxcd.io/force: enabled`, because its pod template is immutable: a
      changed Job is deleted and created again (and runs again), an unchanged one is left alone.
    - a pod failure policy that ignores disruptions (preemption, node drain, eviction: the pod
      condition DisruptionTarget), so only real failures count against backoff_limit.
    - backoff_limit_per_index=None; with an Indexed Job, set it to give every index its own retries
      (a bad shard does not use up the others' retries, and the good shards still finish).
    - parallelism=1, completions=1: one pod, one success. completion_mode="Indexed" gives each pod
      its index (JOB_COMPLETION_INDEX) for sharded work.
    - component="batch".
    """

    component: str = "batch"
    restart_policy: str = "Never"
    backoff_limit: int | None = None
    active_deadline_seconds: int = 3600
    ttl_seconds_after_finished: int | None = None
    backoff_limit_per_index: int | None = None
    parallelism: int = 1
    completions: int | None = 1
    completion_mode: str = "NonIndexed"

    KIND = "Job"

    def _validate(self) -> None:
        super()._validate()
        _require(self.restart_policy in RESTART_POLICIES, "restart_policy",
                 f"got {self.restart_policy!r}; expected one of {', '.join(RESTART_POLICIES)}")
        _batch_checks(self)
        _int_in(self.parallelism, "parallelism", 1, 10000)
        if self.completions is not None:
            _int_in(self.completions, "completions", 1, 100000)
        _require(self.completion_mode in ("NonIndexed", "Indexed"), "completion_mode",
                 f"got {self.completion_mode!r}; expected NonIndexed or Indexed")
        _require(self.completion_mode != "Indexed" or self.completions is not None, "completions",
                 "an Indexed Job needs completions (the number of indexes)")
        if self.backoff_limit_per_index is not None:
            _int_in(self.backoff_limit_per_index, "backoff_limit_per_index", 0, 100)
            _require(self.completion_mode == "Indexed", "backoff_limit_per_index",
                     "retries per index need completion_mode=\"Indexed\"")


@dataclass(frozen=True, kw_only=True)
class CronJob(Job):
    """A Job on a schedule: a batch/v1 CronJob.

    Defaults, each with its reason:
    - time_zone="Etc/UTC": the schedule means the same whatever the controller's zone.
    - concurrency_policy="Forbid": a slow run never overlaps the next one (which would double the
      load and race on the same outputs).
    - starting_deadline_seconds=600: a run missed by more than 10 minutes (controller down) is
      skipped rather than started late, and more than 100 missed runs never block the schedule.
    - successful_jobs_history_limit=3, failed_jobs_history_limit=3: recent runs stay inspectable.
    - ttl_seconds_after_finished=86400: the Jobs a CronJob makes are not in git, so no GitOps
      controller re-creates them: a finished run is cleaned up after a day.
    """

    schedule: str
    ttl_seconds_after_finished: int | None = 86400
    time_zone: str = "Etc/UTC"
    concurrency_policy: str = "Forbid"
    starting_deadline_seconds: int = 600
    successful_jobs_history_limit: int = 3
    failed_jobs_history_limit: int = 3
    suspend: bool = False

    KIND = "CronJob"

    def _validate(self) -> None:
        super()._validate()
        _require(isinstance(self.schedule, str) and (self.schedule in _CRON_MACROS or bool(_CRON.match(self.schedule))),
                 "schedule", f"got {self.schedule!r}; expected five cron fields such as '0 2 * * *' or @daily")
        _require(isinstance(self.time_zone, str) and bool(re.match(r"^[A-Za-z_]+(/[A-Za-z0-9_+\-]+)*$", self.time_zone)),
                 "time_zone", f"got {self.time_zone!r}; expected a tz database name such as Europe/Paris")
        _require(self.concurrency_policy in ("Allow", "Forbid", "Replace"), "concurrency_policy",
                 f"got {self.concurrency_policy!r}; expected Allow, Forbid or Replace")
        _int_in(self.starting_deadline_seconds, "starting_deadline_seconds", 10)
        _int_in(self.successful_jobs_history_limit, "successful_jobs_history_limit", 0, 100)
        _int_in(self.failed_jobs_history_limit, "failed_jobs_history_limit", 0, 100)
        _require(isinstance(self.suspend, bool), "suspend", f"got {self.suspend!r}; expected True or False")


# --- distributed training -------------------------------------------------------------------------

TRAINING_OUTPUTS = ("job", "kubeflow")


@dataclass(frozen=True, kw_only=True)
class TrainingJob(Workload):
    """Distributed training over `nodes` pods with `gpus_per_node` GPUs each.

    Output "job" (default): an Indexed Job (one index per node, completions == parallelism) and a
    headless Service so workers find node 0; each pod gets the variables torchrun reads:
    MASTER_ADDR (pod 0's DNS name), MASTER_PORT, NNODES, NODE_RANK (the completion index),
    NPROC_PER_NODE (= GPUs), WORLD_SIZE (nodes x processes per node), and the same as PET_* so a
    bare `torchrun train.py` picks them up. Output "kubeflow": a Kubeflow Trainer TrainJob
    (trainer.kubeflow.org/v1alpha1) on the `runtime` ClusterTrainingRuntime, for clusters that run
    Kubeflow Trainer (it makes the pods and the rendezvous itself).

    Defaults, each with its reason:
    - master_port=29500: torchrun's own default.
    - shm_size="8Gi": PyTorch DataLoader workers pass batches through /dev/shm, which is 64Mi in a
      container by default and makes them crash; the memory-backed emptyDir counts against the
      memory limit, so it must fit below it (checked).
    - restart semantics: a pod failure policy ignores disruptions (the DisruptionTarget condition:
      preemption, node drain, eviction), so a disrupted node's pod is simply replaced; the other
      nodes then fail once (their collective broke), and backoff_limit=None allows exactly that:
      nodes - 1 counted failures. A real failure (the same error on every node) fails the Job at
      once; resume from the last checkpoint.
    - active_deadline_seconds=172800: a hung collective (an NCCL deadlock) releases its GPUs after
      two days at most; set it to the run's real budget.
    - ttl_seconds_after_finished=None, replaced rather than patched: as for Job (docs/jobs.md).
    - GPU nodes: the GPU taint is tolerated and GPU nodes selected from the cluster profile.
    """

    component: str = "training"
    nodes: int
    gpus_per_node: int
    master_port: int = 29500
    shm_size: str = "8Gi"
    backoff_limit: int | None = None
    active_deadline_seconds: int = 172800
    ttl_seconds_after_finished: int | None = None
    output: str = "job"
    runtime: str = "torch-distributed"

    KIND = "TrainingJob"

    def _validate(self) -> None:
        super()._validate()
        _int_in(self.nodes, "nodes", 1, 1000)
        _int_in(self.gpus_per_node, "gpus_per_node", 0, 64)
        _int_in(self.master_port, "master_port", 1024, 65535)
        _batch_checks(self)
        if self.resources is None:
            raise _Invalid("resources",
                           "a TrainingJob needs Resources(cpu=..., memory=...) per node (GPUs come from gpus_per_node)")
        _require(self.resources.gpu in (0, self.gpus_per_node), "resources.gpu",
                 f"got {self.resources.gpu}; leave it out, gpus_per_node ({self.gpus_per_node}) sets the GPU count")
        try:
            object.__setattr__(self, "shm_size", normalize_memory(self.shm_size))
        except ValueError as exc:
            raise _Invalid("shm_size", str(exc)) from None
        limit = self.resources.memory_limit or self.resources.memory
        _require(parse_quantity(self.shm_size) < parse_quantity(limit), "shm_size",
                 f"got {self.shm_size!r}; /dev/shm counts against the memory limit ({limit}), so it must be smaller")
        _require(self.output in TRAINING_OUTPUTS, "output", f"got {self.output!r}; expected job or kubeflow")
        _require(isinstance(self.runtime, str) and bool(re.match(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", self.runtime)),
                 "runtime", f"got {self.runtime!r}; expected the name of a ClusterTrainingRuntime")
        reserved = {"dshm"} & {v.name for v in self.volumes}
        _require(not reserved, "volumes", "the volume name 'dshm' is reserved for /dev/shm")
        reserved_env = {"MASTER_ADDR", "MASTER_PORT", "NODE_RANK", "WORLD_SIZE", "NNODES", "NPROC_PER_NODE"} & set(self.env)
        _require(not reserved_env, "env", f"{sorted(reserved_env)} are set by the TrainingJob itself")

    @property
    def failures_allowed(self) -> int:
        """backoff_limit, or what one disruption costs: every other node fails once."""
        return self.backoff_limit if self.backoff_limit is not None else self.nodes - 1

    @property
    def processes_per_node(self) -> int:
        return self.gpus_per_node or 1

    @property
    def world_size(self) -> int:
        return self.nodes * self.processes_per_node


for _cls in (Weights,):
    wrap_part_init(_cls)
