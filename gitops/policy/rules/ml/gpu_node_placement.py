"""GPU pods tolerate the GPU taint and select GPU nodes.

GPU nodes are tainted so that other pods stay off them: a GPU pod without the toleration never
schedules; one that does not select GPU nodes (nodeSelector or required node affinity on the
GPU node label) may wait for a GPU on a pool that has none, or trigger the wrong autoscaling.

Options: gpu_taint_key (default nvidia.com/gpu), gpu_node_labels (labels that mark GPU nodes).

Fails:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: c, image: i:1, resources: {limits: {nvidia.com/gpu: "1"}}}
```

Passes:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  nodeSelector: {nvidia.com/gpu.present: "true"}
  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  containers:
  - {name: c, image: i:1, resources: {limits: {nvidia.com/gpu: "1"}}}
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context, pod_spec
from .common import GPU_NODE_LABELS, GPU_RESOURCES, _gpu_containers

ID = "gpu-node-placement"
TITLE = "GPU pods tolerate the GPU taint and select GPU nodes"
SEVERITY = "error"
REMEDIATION = "tolerate the GPU taint and select GPU nodes (nodeSelector or required node affinity)"
OPTIONS = {"gpu_resources": list(GPU_RESOURCES), "gpu_taint_key": "nvidia.com/gpu",
           "gpu_node_labels": list(GPU_NODE_LABELS)}
SCOPE = "resource"


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    if not any(_gpu_containers(res, ctx)):
        return
    spec, base = pod_spec(res)
    if spec is None:  # no pod spec means no containers, so no GPUs either
        return
    taint = ctx.options["gpu_taint_key"]
    labels = set(ctx.options["gpu_node_labels"])
    tolerations = [t for t in spec.get("tolerations") or [] if isinstance(t, dict)]
    if not any(t.get("key") == taint or (t.get("key") in (None, "") and t.get("operator") == "Exists")
               for t in tolerations):
        yield Found(res, f"the pod asks for GPUs but does not tolerate the {taint} taint: it will never schedule "
                    "on a GPU node", path=f"{base}.tolerations",
                    hint=f"add a toleration for {taint} (gitops adds it from the cluster profile)")
    selected = set((spec.get("nodeSelector") or {}))
    required = ((((spec.get("affinity") or {}).get("nodeAffinity") or {})
                 .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or [])
    terms = [{e.get("key") for e in (t.get("matchExpressions") or []) if isinstance(e, dict)}
             for t in required if isinstance(t, dict)]
    if not (selected & labels) and not (terms and all(keys & labels for keys in terms)):
        yield Found(res, "the pod asks for GPUs but does not select GPU nodes", path=f"{base}.nodeSelector",
                    hint=f"select nodes by one of {', '.join(sorted(labels))} (nodeSelector or required "
                    "node affinity)")
