"""A KServe predictor placed on GPU nodes requests a GPU.

A predictor (or an LLMInferenceService's template or worker) that tolerates the GPU taint or
selects GPU nodes but whose containers request no GPU takes a GPU node without a GPU: the device
plugin gives it none, so the model runs on the CPU (or fails to load), while the node's GPUs may
sit idle or be handed to another pod. KServe merges the runtime's container into the predictor,
so the requests belong on the predictor's model (or container) resources, which is also where
KServe's default resources (CPU and memory only) would otherwise apply.

Options: gpu_resources, the resource names that are GPUs; gpu_taint_key; gpu_node_labels.

Fails:

```yaml
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: detector, namespace: vision}
spec:
  predictor:
    nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
    model:
      modelFormat: {name: pytorch}
      storageUri: gs://acme-models/detector/v3
      resources: {requests: {cpu: "4", memory: 16Gi}}
```

Passes:

```yaml
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: detector, namespace: vision}
spec:
  predictor:
    nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
    model:
      modelFormat: {name: pytorch}
      storageUri: gs://acme-models/detector/v3
      resources:
        requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
        limits: {memory: 16Gi, nvidia.com/gpu: "1"}
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context, as_map
from ..ml.common import GPU_NODE_LABELS, GPU_RESOURCES
from .common import is_kserve, pod_parts

ID = "predictor-gpu-requests"
TITLE = "A KServe predictor placed on GPU nodes requests a GPU"
SEVERITY = "error"
REMEDIATION = "request the GPUs in the predictor's resources (requests and limits), or drop the GPU placement"
OPTIONS = {"gpu_resources": list(GPU_RESOURCES), "gpu_taint_key": "nvidia.com/gpu",
           "gpu_node_labels": list(GPU_NODE_LABELS)}
SCOPE = "resource"
KINDS = ("InferenceService", "LLMInferenceService")


def _on_gpu_nodes(spec: dict, ctx: Context) -> str | None:
    """How the pod is placed on GPU nodes, or None."""
    taint = ctx.options["gpu_taint_key"]
    labels = set(ctx.options["gpu_node_labels"]) - {"node.kubernetes.io/instance-type"}
    if any(isinstance(t, dict) and t.get("key") == taint for t in spec.get("tolerations") or []):
        return f"tolerates the {taint} taint"
    if selected := sorted(set(as_map(spec.get("nodeSelector"))) & labels):
        return f"selects GPU nodes ({selected[0]})"
    required = as_map(as_map(as_map(spec.get("affinity")).get("nodeAffinity"))
                      .get("requiredDuringSchedulingIgnoredDuringExecution")).get("nodeSelectorTerms") or []
    for term in required:
        for expr in as_map(term).get("matchExpressions") or []:
            if as_map(expr).get("key") in labels:
                return f"requires GPU nodes ({as_map(expr).get('key')})"
    return None


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    if not is_kserve(res):
        return
    gpus = set(ctx.options["gpu_resources"])
    for spec, containers, path in pod_parts(res):
        placed = _on_gpu_nodes(spec, ctx)
        if placed is None:
            continue
        asked = set()
        for c in containers:
            resources = as_map(c.get("resources"))
            asked |= (set(as_map(resources.get("requests"))) | set(as_map(resources.get("limits")))) & gpus
        if not asked:
            yield Found(res, f"{path} {placed} but requests no GPU: it holds a GPU node without a GPU and runs "
                        "the model on the CPU", path=path, hint=REMEDIATION)
