"""What Argo CD and Flux objects of one environment are built from: its apps, their folders and waves."""
from __future__ import annotations

from dataclasses import dataclass

from ..synth.context import MANAGED_BY
from .graph import Graph
from .settings import Cluster, Delivery

WORKLOAD_HEALTH_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
# (group, kind) that Kueue suspends and resumes through spec.suspend
SUSPENDABLE = (("batch", "Job"), ("jobset.x-k8s.io", "JobSet"), ("trainer.kubeflow.org", "TrainJob"))
QUEUE_LABEL = "kueue.x-k8s.io/queue-name"


@dataclass(frozen=True)
class AppUnit:
    """One app in one environment, as the delivery objects see it."""

    name: str
    namespace: str
    path: str  # folder of its manifests, relative to the repository root
    objects: tuple[dict, ...]  # identities of its synthesized objects: apiVersion, kind, metadata.name/namespace
    queued: bool = False  # its Jobs wait in a Kueue queue
    cluster_scoped: bool = False  # only cluster-scoped objects (the Kueue unit): no namespace to create or set

    @property
    def creates_namespace(self) -> bool:
        return any(o.get("kind") == "Namespace" and (o.get("metadata") or {}).get("name") == self.namespace
                   for o in self.objects)

    def cluster_kinds(self) -> set[tuple[str, str]]:
        """(group, kind) of its cluster-scoped objects: the AppProject must allow them by name."""
        out = set()
        for o in self.objects:
            if not (o.get("metadata") or {}).get("namespace"):
                out.add((str(o.get("apiVersion", "")).rpartition("/")[0], str(o.get("kind", ""))))
        return out

    def workloads(self) -> list[dict]:
        return [o for o in self.objects if o.get("kind") in WORKLOAD_HEALTH_KINDS]

    def suspendable(self) -> list[tuple[str, str]]:
        """(group, kind) of its queued objects, which Kueue resumes by changing spec.suspend."""
        if not self.queued:
            return []
        kinds = {(str(o.get("apiVersion", "")).rpartition("/")[0], str(o.get("kind", ""))) for o in self.objects}
        return sorted(kinds & set(SUSPENDABLE))


@dataclass(frozen=True)
class EnvPlan:
    env: str
    delivery: Delivery
    cluster: Cluster
    apps: tuple[AppUnit, ...]  # sorted by name
    graph: Graph
    folder: str  # generated/<env>, relative to the repository root
    # queued Jobs are written with suspend: true (gitops.yaml kueue.suspend), which Kueue flips to
    # false: Argo CD must ignore that field, Flux must not apply it (docs/kueue.md)
    queued_suspended: bool = False

    @property
    def revision(self) -> str:
        return self.cluster.revision or self.delivery.revision


def labels(env: str, name: str | None = None) -> dict[str, str]:
    # name: what every object carries (the required-labels policy); these objects are the delivery's own
    out = {"app.kubernetes.io/name": "gitops-delivery", "app.kubernetes.io/managed-by": MANAGED_BY,
           "app.kubernetes.io/part-of": f"gitops-{env}"}
    if name:
        out["app.kubernetes.io/instance"] = name
    return out


def duration(seconds: int) -> str:
    """A Go duration as Flux and Argo CD read it: whole minutes when exact, else seconds."""
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"
