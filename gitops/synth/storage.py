"""PersistentVolumeClaims an app owns (`Volume.pvc(..., size=...)`) outside a StatefulSet."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from .context import Target
from .pod import claim_spec, quantity

if TYPE_CHECKING:
    from cdk8s import Chart

    from ..spec.parts.volume import Volume
    from ..spec.workload import Workload

# Data outlives its manifests: Argo CD neither prunes nor cascade-deletes, Flux does not prune, an
# object carrying these (docs/data-safety.md). Removing an app leaves its claims to delete by hand.
KEEP_DATA = {
    "argocd.argoproj.io/sync-options": "Delete=false,Prune=false",
    "kustomize.toolkit.fluxcd.io/prune": "disabled",
}


# An NFS share's volume and claim carry a nominal size: NFS does not enforce it.
NFS_NOMINAL_SIZE = "1Gi"


def holds_data(app: Workload) -> bool:
    """Whether the app's namespace holds claims (its own, a StatefulSet's, or an NFS share's)."""
    weights = getattr(app, "weights", None)
    return any(v.owned_claim or v.source == "nfs" for v in app.volumes) or (weights is not None and weights.source == "s3")


def nfs_volume_name(t: Target, v: Volume) -> str:
    """PersistentVolumes are cluster-wide: the namespace in the name keeps apps and environments apart."""
    return f"{t.namespace}-{v.name}"


def build_claims(k8s: ModuleType, chart: Chart, t: Target, meta: Any, owned: bool = True) -> None:
    """The app's own claims (unless a StatefulSet's templates make them) and its NFS shares."""
    for v in t.app.volumes:
        if v.owned_claim and owned:
            k8s.KubePersistentVolumeClaim(chart, f"pvc-{v.ref}", metadata=meta(k8s, t, name=v.ref, annotations=KEEP_DATA),
                                          spec=claim_spec(k8s, t, v))
        if v.source == "nfs":
            build_nfs(k8s, chart, t, meta, v)


def build_nfs(k8s: ModuleType, chart: Chart, t: Target, meta: Any, v: Volume) -> None:
    """An NFS share as a PersistentVolume bound to one claim of the app (no storage class, so no
    provisioner takes it; Retain, so deleting them never touches the share)."""
    pv_name = nfs_volume_name(t, v)
    modes = ["ReadOnlyMany"] if v.read_only else ["ReadWriteMany"]
    size = {"storage": quantity(k8s, v.size or NFS_NOMINAL_SIZE)}
    k8s.KubePersistentVolume(chart, f"pv-{v.name}", metadata=k8s.ObjectMeta(name=pv_name, labels=t.labels()),
                             spec=k8s.PersistentVolumeSpec(
                                 access_modes=modes, capacity=size, storage_class_name="",
                                 persistent_volume_reclaim_policy="Retain",
                                 claim_ref=k8s.ObjectReference(name=v.name, namespace=t.namespace),
                                 nfs=k8s.NfsVolumeSource(server=v.server, path=v.export, read_only=v.read_only or None)))
    k8s.KubePersistentVolumeClaim(chart, f"pvc-{v.name}", metadata=meta(k8s, t, name=v.name, annotations=KEEP_DATA),
                                  spec=k8s.PersistentVolumeClaimSpec(
                                      access_modes=modes, storage_class_name="", volume_name=pv_name,
                                      resources=k8s.VolumeResourceRequirements(requests=size)))
