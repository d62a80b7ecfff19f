"""Where the pod template sits in each kind that makes pods, and how to walk its containers.

Pod Security admission evaluates Pods and, for warnings and audit, the templates of every workload
kind (kubernetes/pod-security-admission, admission.DefaultPodSpecExtractor); the scheduler places
the pods those templates make. Both need the same walk, so it lives here once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..manifests.resource import Resource

__all__ = ["PodTemplate", "pod_template", "containers", "POD_KINDS", "mapping"]

# kind -> path of the pod template's metadata and spec (a Pod is its own template).
_TEMPLATE_PATHS: dict[str, tuple[str | int, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    # custom resources whose controller makes the pods (the first replicated job of a JobSet)
    "JobSet": ("spec", "replicatedJobs", 0, "template", "spec", "template"),
    "ScaledJob": ("spec", "jobTargetRef", "template"),
    "Rollout": ("spec", "template"),
    "LeaderWorkerSet": ("spec", "leaderWorkerTemplate", "workerTemplate"),
}
POD_KINDS = frozenset(_TEMPLATE_PATHS)
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")  # upstream visitContainers order


def mapping(value: Any) -> dict:
    """`value` when it is a mapping, else an empty one: wrong types are the schema check's finding."""
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class PodTemplate:
    """The pod metadata and spec of a resource, with the JSON path of each."""

    kind: str
    metadata: dict
    spec: dict
    metadata_path: str
    spec_path: str

    @property
    def is_pod(self) -> bool:
        return self.kind == "Pod"


def pod_template(res: Resource) -> PodTemplate | None:
    """The pod template of a resource of a pod-making kind (None for other kinds or no spec)."""
    steps = _TEMPLATE_PATHS.get(res.kind)
    if steps is None:
        return None
    node: Any = res.obj
    for step in steps:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and len(node) > step else None
        else:
            node = mapping(node).get(step)
    template = mapping(node)
    spec = template.get("spec")
    if not isinstance(spec, dict):
        return None
    prefix = ".".join(f"[{s}]" if isinstance(s, int) else s for s in steps).replace(".[", "[")
    return PodTemplate(res.kind, mapping(template.get("metadata")), spec,
                       f"{prefix}.metadata" if prefix else "metadata", f"{prefix}.spec" if prefix else "spec")


def containers(template: PodTemplate, lists: tuple[str, ...] = CONTAINER_LISTS) -> Iterator[tuple[str, dict, str]]:
    """(list name, container, JSON path) for every container in `lists`, upstream's order."""
    for key in lists:
        items = template.spec.get(key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield key, item, f"{template.spec_path}.{key}[{i}]"


def container_name(container: dict) -> str:
    name = container.get("name")
    return name if isinstance(name, str) else "?"
