"""Kueue's references resolve: a queued workload's `kueue.x-k8s.io/queue-name` names a LocalQueue
of its namespace, that LocalQueue a ClusterQueue, the ClusterQueue's flavors ResourceFlavors, and
`kueue.x-k8s.io/priority-class` a WorkloadPriorityClass.

Kueue leaves a workload whose LocalQueue or ClusterQueue does not exist pending (inadmissible),
and one whose priority class does not exist without a Workload at all, so the Job stays suspended
(kubernetes-sigs/kueue at ff69552: `site/content/en/docs/concepts/local_queue.md`,
`concepts/workload_priority_class.md`: "must exist in the cluster"). When the checked set holds no
object of the kind at all, the cluster may still have it: the finding is only an info then.

Fails:

```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  template: {spec: {restartPolicy: Never, containers: [{name: t, image: ghcr.io/acme/train:1.0}]}}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: batch, namespace: ml}
spec: {clusterQueue: batch}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: batch}
spec:
  resourceGroups:
  - coveredResources: [cpu]
    flavors: [{name: default, resources: [{name: cpu, nominalQuota: "8"}]}]
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ResourceFlavor
metadata: {name: default}
```

Passes:

```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  template: {spec: {restartPolicy: Never, containers: [{name: t, image: ghcr.io/acme/train:1.0}]}}
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
  - coveredResources: [cpu]
    flavors: [{name: default, resources: [{name: cpu, nominalQuota: "8"}]}]
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ResourceFlavor
metadata: {name: default}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map, items
from .common import PRIORITY_LABEL, cluster_queue_name, kueue_objects, local_queue, namespace_of, queue_labels, queued

ID = "kueue-references"
TITLE = "Kueue queue, flavor and priority names resolve"
SEVERITY = "error"
REMEDIATION = "declare the queue or priority under kueue: in gitops.yaml (or fix the name)"
SCOPE = "set"


def check(ctx):
    locals_ = list(kueue_objects(ctx, "LocalQueue"))
    cqs = {q.name: q for q in kueue_objects(ctx, "ClusterQueue")}
    flavors = {f.name for f in kueue_objects(ctx, "ResourceFlavor")}
    priorities = {p.name for p in kueue_objects(ctx, "WorkloadPriorityClass")}
    for res, queue in queued(ctx):
        if local_queue(ctx, res, queue) is None:
            yield Found(res, f"queue-name {queue!r}: no LocalQueue of that name in namespace {namespace_of(res)}; "
                        "Kueue leaves the workload pending", path="metadata.labels", unsure=not locals_)
    for res in ctx.of_kind(*("Job", "JobSet", "TrainJob", "CronJob")):
        priority = queue_labels(res).get(PRIORITY_LABEL)
        if isinstance(priority, str) and priority and priority not in priorities:
            yield Found(res, f"priority-class {priority!r}: no WorkloadPriorityClass of that name; Kueue creates "
                        "no Workload for it", path="metadata.labels", unsure=not priorities)
    for local in locals_:
        name = cluster_queue_name(local)
        if name and name not in cqs:
            yield Found(local, f"clusterQueue {name!r} is not in the set", path="spec.clusterQueue", unsure=not cqs)
    for cq in cqs.values():
        for g, group in items(as_map(cq.obj.get("spec")).get("resourceGroups")):
            for f, flavor in items(group.get("flavors")):
                if flavor.get("name") and flavor["name"] not in flavors:
                    yield Found(cq, f"flavor {flavor['name']!r} has no ResourceFlavor", unsure=not flavors,
                                path=f"spec.resourceGroups[{g}].flavors[{f}].name")
