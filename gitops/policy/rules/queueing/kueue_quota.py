"""A queued workload fits its ClusterQueue's quota: Kueue would never admit one that asks for more.

Kueue admits a workload when each of its pod sets gets a flavor of the ClusterQueue with enough
quota for every resource it requests. It never fits when the request exceeds the most the queue
could ever have: the flavor's nominal quota, plus what it may borrow from its cohort (capped by
its borrowingLimit). Kueue then marks the workload inadmissible ("insufficient quota ... > maximum
capacity", reason ExceedsMaxQuota) and the Job stays suspended for ever. A requested resource that
no resource group of the queue covers is never admitted either ("resource unavailable").
Sources (kubernetes-sigs/kueue at ff69552): `pkg/scheduler/flavorassigner/flavorassigner.go`
(fitsResourceQuota, and the loop over the workload's resources), `pkg/cache/scheduler/resource_node.go`
(potentialAvailable), `site/content/en/docs/concepts/cluster_queue.md`.

Requests are counted as Kueue does (common.py): pods x the pod's requests, summed over pod sets.
A pod set must fit one flavor; the whole workload must fit the queue's flavors together. With a
cohort, the borrowable quota of the other queues of the set counts; queues outside the set may
add more, so such a finding is only an info.

Fails:

```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  parallelism: 4
  completions: 4
  template:
    spec:
      restartPolicy: Never
      containers: [{name: t, image: ghcr.io/acme/train:1.0, resources: {requests: {cpu: "8", nvidia.com/gpu: "4"}, limits: {nvidia.com/gpu: "4"}}}]
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: training, namespace: ml}
spec: {clusterQueue: training}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: training}
spec:
  resourceGroups:
  - coveredResources: [cpu, nvidia.com/gpu]
    flavors:
    - name: nvidia-l4
      resources: [{name: cpu, nominalQuota: "64"}, {name: nvidia.com/gpu, nominalQuota: "8"}]
```

Passes:

```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  parallelism: 2
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: t, image: ghcr.io/acme/train:1.0, resources: {requests: {cpu: "8", nvidia.com/gpu: "4"}, limits: {nvidia.com/gpu: "4"}}}]
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: training, namespace: ml}
spec: {clusterQueue: training}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: training}
spec:
  resourceGroups:
  - coveredResources: [cpu, nvidia.com/gpu]
    flavors:
    - name: nvidia-l4
      resources: [{name: cpu, nominalQuota: "64"}, {name: nvidia.com/gpu, nominalQuota: "8"}]
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ...api import as_map, items, quantity
from .common import cluster_queue_name, kueue_objects, local_queue, pod_sets, queued, show

ID = "kueue-quota-exceeded"
TITLE = "queued workloads fit their ClusterQueue's quota"
SEVERITY = "error"
REMEDIATION = "ask for fewer pods or resources, or raise the queue's nominal quota (kueue.queues in gitops.yaml)"
SCOPE = "set"

Capacity = dict[str, dict[str, float]]  # flavor -> resource -> most the queue can ever use


def _quotas(cq) -> tuple[list[tuple[list[str], list[str]]], dict[tuple[str, str], tuple[float, float | None, float]]]:
    """([(covered resources, flavors in order)], {(flavor, resource): (nominal, borrowingLimit, lendable)})."""
    groups, quotas = [], {}
    for _, group in items(as_map(cq.obj.get("spec")).get("resourceGroups")):
        covered = [str(r) for r in group.get("coveredResources") or [] if isinstance(r, str)]
        flavors = []
        for _, flavor in items(group.get("flavors")):
            name = str(flavor.get("name", ""))
            flavors.append(name)
            for _, res in items(flavor.get("resources")):
                nominal = quantity(res.get("nominalQuota")) or 0.0
                borrow = quantity(res.get("borrowingLimit")) if res.get("borrowingLimit") is not None else None
                lend = quantity(res.get("lendingLimit")) if res.get("lendingLimit") is not None else nominal
                quotas[(name, str(res.get("name", "")))] = (nominal, borrow, lend if lend is not None else nominal)
        groups.append((covered, flavors))
    return groups, quotas


def capacity(cq, ctx) -> tuple[list[tuple[list[str], list[str]]], Capacity, bool]:
    """The queue's resource groups, the most it can use per flavor and resource, and whether a
    cohort makes that uncertain."""
    groups, quotas = _quotas(cq)
    cohort = as_map(cq.obj.get("spec")).get("cohortName")
    others = [q for q in kueue_objects(ctx, "ClusterQueue")
              if cohort and q is not cq and as_map(q.obj.get("spec")).get("cohortName") == cohort]
    lent = [_quotas(q)[1] for q in others]
    out: Capacity = {}
    for (flavor, resource), (nominal, borrow, _) in quotas.items():
        most = nominal + sum(other.get((flavor, resource), (0.0, None, 0.0))[2] for other in lent)
        if borrow is not None:
            most = min(most, nominal + borrow)
        out.setdefault(flavor, {})[resource] = most
    return groups, out, bool(cohort)


def problems(requests: dict[str, float], count: int, groups, cap: Capacity) -> Iterator[str]:
    for resource, amount in sorted(requests.items()):
        if amount <= 0:
            continue
        group = next((g for g in groups if resource in g[0]), None)
        if group is None:
            yield f"{resource}: no resource group of the queue covers it"
            continue
        best = max((cap.get(f, {}).get(resource, 0.0) for f in group[1]), default=0.0)
        if amount > best:
            yield (f"{show(resource, amount)} {resource}" + (f" ({count} pods)" if count > 1 else "")
                   + f" > at most {show(resource, best)} in any flavor")


def check(ctx):
    queues: dict[str, list] = {}
    for q in kueue_objects(ctx, "ClusterQueue"):
        queues.setdefault(q.name, []).append(q)
    for res, queue in queued(ctx):
        local = local_queue(ctx, res, queue)
        candidates = queues.get(cluster_queue_name(local) or "", []) if local is not None else []
        # several ClusterQueues of one name (alternative setups in one folder): a finding only when
        # the workload fits none of them
        verdicts = [(cq, _misfits(res, cq, ctx)) for cq in candidates]
        if not verdicts or any(not found for _, (found, _) in verdicts):
            continue  # no queue in the set (kueue-references says so), or it fits one
        cq, (found, cohort) = verdicts[0]
        yield Found(res, f"never admitted by ClusterQueue {cq.name} (through LocalQueue {queue}): "
                    + "; ".join(found) + "; Kueue keeps it suspended", path="metadata.labels",
                    hint="ask for fewer pods or resources, or raise the queue's nominal quota", unsure=cohort)


def _misfits(res, cq, ctx) -> tuple[list[str], bool]:
    """Why `res` can never be admitted by `cq` (empty when it can), and whether a cohort makes it uncertain."""
    groups, cap, cohort = capacity(cq, ctx)
    sets = pod_sets(res)
    found: list[str] = []
    for name, count, requests in sets:
        per_set = {r: a * count for r, a in requests.items()}
        if any(r == "pods" for g, _ in groups for r in g) and count:
            per_set["pods"] = float(count)
        found += [f"pod set {name!r}: {p}" if len(sets) > 1 else p for p in problems(per_set, count, groups, cap)]
    if not found:
        total: dict[str, float] = {}
        for _, count, requests in sets:
            for r, a in requests.items():
                total[r] = total.get(r, 0.0) + a * count
        for r, amount in sorted(total.items()):
            group = next((g for g in groups if r in g[0]), None)
            room = sum(cap.get(f, {}).get(r, 0.0) for f in group[1]) if group else 0.0
            if group and amount > room:
                found.append(f"{show(r, amount)} {r} in all > at most {show(r, room)} across its flavors")
    return found, cohort
