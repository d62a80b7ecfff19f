"""What the ml rules share."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Iterator

from ....manifests.resource import Resource
from ...api import Context, as_map, containers

GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915")


GPU_NODE_LABELS = ("nvidia.com/gpu.present", "cloud.google.com/gke-accelerator", "k8s.amazonaws.com/accelerator",
                   "eks.amazonaws.com/instance-gpu-manufacturer", "eks.amazonaws.com/instance-gpu-name",
                   "node.kubernetes.io/instance-type")


COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _gpu_containers(res: Resource, ctx: Context) -> Iterator[tuple[dict, str, str]]:
    """(container, path, resource name) for every GPU a container asks for."""
    names = ctx.options.get("gpu_resources", GPU_RESOURCES)  # rules without the option: every GPU
    for c, path in containers(res):
        resources = as_map(c.get("resources"))
        asked = set((resources.get("limits") or {})) | set((resources.get("requests") or {}))
        for name in sorted(asked):
            if name in names:
                yield c, path, name


def _job_spec(res: Resource) -> tuple[dict | None, str]:
    spec = as_map(res.obj.get("spec"))
    if res.kind == "Job":
        return spec, "spec"
    if res.kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec")
        return (job, "spec.jobTemplate.spec") if isinstance(job, dict) else (None, "")
    return None, ""


def _is_training(res: Resource, ctx: Context) -> bool:
    """A distributed training Job: labelled so, or an Indexed Job whose pods use GPUs."""
    if res.kind != "Job":
        return False
    labels = res.metadata.get("labels") or {}
    if labels.get("app.kubernetes.io/component") == "training":
        return True
    job, _ = _job_spec(res)
    return (job or {}).get("completionMode") == "Indexed" and any(_gpu_containers(res, ctx))


def _shm_volume(spec: dict, container: dict) -> tuple[dict | None, bool]:
    """(the volume mounted at /dev/shm, whether it is a memory-backed emptyDir)."""
    names = [m.get("name") for m in container.get("volumeMounts") or [] if m.get("mountPath") == "/dev/shm"]
    for v in spec.get("volumes") or []:
        if isinstance(v, dict) and v.get("name") in names:
            empty = v.get("emptyDir")
            return v, isinstance(empty, dict) and empty.get("medium") == "Memory"
    return None, False
