"""What the Kueue rules share: which objects Kueue queues, what they ask for, and where they queue.

A workload's pod sets and their requests, as Kueue counts them (kubernetes-sigs/kueue at ff69552):
a Job is one pod set of min(parallelism, completions) pods (`pkg/controller/jobs/job/job_controller.go`,
podsCount); a JobSet one pod set per replicated job of replicas x min(parallelism, completions)
pods (`pkg/controller/jobs/jobset/jobset_controller.go`); a pod asks for the sum of its containers'
requests, or the largest init container's when that is more, and a limit without a request counts
as the request (concepts/workload.md, "Resource requests").
"""
from __future__ import annotations

from typing import Any, Iterator

from ....manifests.resource import Resource
from ...api import as_map, items, quantity

QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
PRIORITY_LABEL = "kueue.x-k8s.io/priority-class"
KUEUE_GROUP = "kueue.x-k8s.io"
QUEUED_KINDS = ("Job", "JobSet", "TrainJob", "CronJob")


def labels_of(res: Resource) -> dict:
    return as_map(as_map(res.obj.get("metadata")).get("labels"))


def queue_labels(res: Resource) -> dict:
    """The Kueue labels of a workload (a CronJob's are on the Jobs it makes: its jobTemplate)."""
    if res.kind == "CronJob":
        template = as_map(as_map(res.obj.get("spec")).get("jobTemplate"))
        return as_map(as_map(template.get("metadata")).get("labels"))
    return labels_of(res)


def queued(ctx) -> Iterator[tuple[Resource, str]]:
    for res in ctx.of_kind(*QUEUED_KINDS):
        queue = queue_labels(res).get(QUEUE_LABEL)
        if isinstance(queue, str) and queue:
            yield res, queue


def kueue_objects(ctx, kind: str) -> Iterator[Resource]:
    return (r for r in ctx.of_kind(kind) if r.group == KUEUE_GROUP)


def _pod_requests(pod: dict) -> dict[str, float]:
    def of(container: dict) -> dict[str, float]:
        resources = as_map(container.get("resources"))
        merged = {**as_map(resources.get("limits")), **as_map(resources.get("requests"))}
        return {str(k): q for k, v in merged.items() if (q := quantity(v)) is not None}

    total: dict[str, float] = {}
    for _, c in items(pod.get("containers")):
        for name, amount in of(c).items():
            total[name] = total.get(name, 0.0) + amount
    for _, c in items(pod.get("initContainers")):
        for name, amount in of(c).items():
            total[name] = max(total.get(name, 0.0), amount)
    return total


# Partial admission: Kueue may admit a Job with fewer pods, down to this many
# (pkg/controller/jobs/job/job_controller.go, JobMinParallelismAnnotation).
MIN_PARALLELISM = "kueue.x-k8s.io/job-min-parallelism"


def _job_pods(job_spec: dict, minimum: object = None) -> int:
    parallelism = job_spec.get("parallelism", 1)
    count = parallelism if isinstance(parallelism, int) and not isinstance(parallelism, bool) else 1
    completions = job_spec.get("completions")
    if isinstance(completions, int) and not isinstance(completions, bool) and completions < count:
        count = completions
    if isinstance(minimum, str) and minimum.isdigit() and 0 < int(minimum) < count:
        count = int(minimum)
    return max(count, 0)


def pod_sets(res: Resource) -> list[tuple[str, int, dict[str, float]]]:
    """(name, pod count, requests of one pod) for each pod set of a queued workload."""
    spec = as_map(res.obj.get("spec"))
    if res.kind == "CronJob":
        spec = as_map(as_map(spec.get("jobTemplate")).get("spec"))
    if res.kind in ("Job", "CronJob"):
        pod = as_map(as_map(spec.get("template")).get("spec"))
        minimum = as_map(as_map(res.obj.get("metadata")).get("annotations")).get(MIN_PARALLELISM)
        return [("main", _job_pods(spec, minimum), _pod_requests(pod))]
    if res.kind == "JobSet":
        out = []
        for _, rjob in items(spec.get("replicatedJobs")):
            job = as_map(as_map(rjob.get("template")).get("spec"))
            replicas = rjob.get("replicas", 1)
            replicas = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1
            pod = as_map(as_map(job.get("template")).get("spec"))
            out.append((str(rjob.get("name", "")), replicas * _job_pods(job), _pod_requests(pod)))
        return out
    if res.kind == "TrainJob":
        trainer = as_map(spec.get("trainer"))
        nodes = trainer.get("numNodes", 1)
        nodes = nodes if isinstance(nodes, int) and not isinstance(nodes, bool) else 1
        per_node = as_map(trainer.get("resourcesPerNode"))
        return [("node", nodes, _pod_requests({"containers": [{"resources": per_node}]}))]
    return []


def total_requests(res: Resource) -> dict[str, float]:
    total: dict[str, float] = {}
    for _, count, requests in pod_sets(res):
        for name, amount in requests.items():
            total[name] = total.get(name, 0.0) + amount * count
        if count:
            total["pods"] = total.get("pods", 0.0) + count
    return total


def show(name: str, amount: float) -> str:
    if name == "memory" or name.endswith("storage"):
        for unit, size in (("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20)):
            if amount >= size and (amount / size) == int(amount / size):
                return f"{int(amount / size)}{unit}"
    if amount == int(amount):
        return str(int(amount))
    return f"{int(round(amount * 1000))}m" if name == "cpu" else f"{amount:g}"


def namespace_of(res: Resource) -> str:
    """Where an object lands: its namespace, else `default` (what `kubectl apply` uses without a context
    namespace; the upstream examples write Jobs without one next to LocalQueues in `default`)."""
    return res.namespace or "default"


def local_queue(ctx, res: Resource, name: str) -> Resource | None:
    return next((q for q in kueue_objects(ctx, "LocalQueue") if q.name == name and namespace_of(q) == namespace_of(res)),
                None)


def cluster_queue_name(local: Resource) -> str | None:
    value = as_map(local.obj.get("spec")).get("clusterQueue")
    return value if isinstance(value, str) and value else None


def first(values: Any) -> Any:
    return next(iter(values), None)
