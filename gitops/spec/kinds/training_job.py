"""TrainingJob: distributed training over several GPU nodes (an Indexed Job or a Kubeflow TrainJob)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..parts.base import _int_in, _Invalid, _require, check_keywords
from ..parts.queueing import check_queue_fields
from ..values import normalize_memory, parse_quantity
from ..parts.failure import PodFailureRule
from ..workload import Workload
from .job import batch_checks

TRAINING_OUTPUTS = ("job", "kubeflow", "jobset")


@dataclass(frozen=True, kw_only=True)
class TrainingJob(Workload):
    """Distributed training over `nodes` pods with `gpus_per_node` GPUs each.

    Output "job" (default): an Indexed Job (one index per node, completions == parallelism) and a
    headless Service so workers find node 0; each pod gets the variables torchrun reads:
    MASTER_ADDR (pod 0's DNS name), MASTER_PORT, NNODES, NODE_RANK (the completion index),
    NPROC_PER_NODE (= GPUs), WORLD_SIZE (nodes x processes per node), and the same as PET_* so a
    bare `torchrun train.py` picks them up. Output "kubeflow": a Kubeflow Trainer TrainJob
    (trainer.kubeflow.org/v1alpha1) on the `runtime` ClusterTrainingRuntime, for clusters that run
    Kubeflow Trainer (it makes the pods and the rendezvous itself). Output "jobset": a JobSet
    (jobset.x-k8s.io) with a `leader` replicated job (node rank 0, MASTER_ADDR) and `workers`, the
    same environment, restarted as a whole: a disruption (preemption, node drain) restarts the gang
    without counting, other failures count against `max_restarts`; `exclusive_topology` ("rack",
    "zone", any level the cluster profile's topologyLabels name) keeps the gang in one domain of
    that level, alone.

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
    - max_restarts=3 (output "jobset"): whole-gang restarts from the last checkpoint before the
      JobSet fails; restarts caused by disruptions do not count.
    - exclusive_topology=None (output "jobset"): no placement beyond the GPU nodes.
    - queue=None, priority=None: not queued; with a Kueue queue (gitops.yaml `kueue.queues`) the run
      waits until its quota admits all of its nodes at once (docs/kueue.md).

    Attributes:
        nodes: how many pods (nodes) train together; one index each.
        gpus_per_node: GPUs per pod, also the processes per node (NPROC_PER_NODE).
        output: `job` (an Indexed Job and a headless Service) or `kubeflow` (a Kubeflow Trainer TrainJob).
        runtime: with output `kubeflow`: the ClusterTrainingRuntime the TrainJob uses.
        backoff_limit: counted pod failures before the Job fails (None: nodes - 1, see above).
        pod_failure_rules: `PodFailureRule.*(...)`: rules matched before gitops's own (disruptions are
            ignored), e.g. a fatal exit code fails the run at once.
        pod_replacement_policy: `podReplacementPolicy`, as for Job.
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
    max_restarts: int = 3
    exclusive_topology: str | None = None
    queue: str | None = None
    priority: str | None = None
    pod_failure_rules: tuple[PodFailureRule, ...] = ()
    pod_replacement_policy: str | None = None

    KIND = "TrainingJob"

    def _validate(self) -> None:
        super()._validate()
        _int_in(self.nodes, "nodes", 1, 1000)
        _int_in(self.gpus_per_node, "gpus_per_node", 0, 64)
        _int_in(self.master_port, "master_port", 1024, 65535)
        batch_checks(self)
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
        _require(self.output in TRAINING_OUTPUTS, "output",
                 f"got {self.output!r}; expected one of {', '.join(TRAINING_OUTPUTS)}")
        _int_in(self.max_restarts, "max_restarts", 0, 1000)
        if self.exclusive_topology is not None:
            _require(isinstance(self.exclusive_topology, str) and bool(re.match(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
                                                                              self.exclusive_topology)),
                     "exclusive_topology", f"got {self.exclusive_topology!r}; expected a topology level such as "
                     "rack or zone (topologyLabels of the cluster profile)")
            _require(self.output == "jobset", "exclusive_topology",
                     f"exclusive placement is a JobSet feature; set output=\"jobset\" (got {self.output!r})")
        check_queue_fields(self)
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


check_keywords(TrainingJob, names_app=True)
