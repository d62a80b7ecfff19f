"""PersistentVolumeClaims an app owns (`Volume.pvc(..., size=...)`) outside a StatefulSet, and the
PersistentVolume plus claim behind each NFS share (`Volume.nfs`).

Pods mount an NFS share through a claim bound to a pre-made PersistentVolume, not as an inline
`nfs:` volume: the Pod Security `restricted` level (which generated namespaces enforce) refuses
inline `nfs` volumes and allows `persistentVolumeClaim` ones (docs/admission.md#pod-security).
"""
from __future__ import annotations

from typing import Any

from ..spec.model import Volume
from .context import Target
from .pod import claim_spec, quantity


# NFS does not enforce sizes: the volume and its claim carry the same nominal capacity so they bind.
NFS_NOMINAL_SIZE = "1Gi"


def nfs_volume_name(t: Target, v: Volume) -> str:
    """PersistentVolumes are cluster-wide: the namespace in the name keeps apps and environments apart."""
    return f"{t.namespace}-{v.name}"


def build_claims(k8s: Any, chart: Any, t: Target, meta: Any) -> None:
    for v in t.app.volumes:
        if v.owned_claim:
            k8s.KubePersistentVolumeClaim(chart, f"pvc-{v.ref}", metadata=meta(k8s, t, name=v.ref),
                                          spec=claim_spec(k8s, t, v))
        elif v.source == "nfs":
            _build_nfs(k8s, chart, t, meta, v)


def _build_nfs(k8s: Any, chart: Any, t: Target, meta: Any, v: Volume) -> None:
    modes = ["ReadOnlyMany"] if v.read_only else ["ReadWriteMany"]
    size = {"storage": quantity(k8s, NFS_NOMINAL_SIZE)}
    name = nfs_volume_name(t, v)
    k8s.KubePersistentVolume(chart, f"pv-{v.name}", metadata=k8s.ObjectMeta(name=name, labels=t.labels()),
                             spec=k8s.PersistentVolumeSpec(
                                 access_modes=modes, capacity=size, persistent_volume_reclaim_policy="Retain",
                                 storage_class_name="",  # bound only to its own claim, never provisioned
                                 claim_ref=k8s.ObjectReference(namespace=t.namespace, name=v.name),
                                 nfs=k8s.NfsVolumeSource(server=v.server, path=v.export,
                                                         read_only=v.read_only or None)))
    k8s.KubePersistentVolumeClaim(chart, f"pvc-{v.name}", metadata=meta(k8s, t, name=v.name),
                                  spec=k8s.PersistentVolumeClaimSpec(
                                      access_modes=modes, storage_class_name="", volume_name=name,
                                      resources=k8s.VolumeResourceRequirements(requests=size)))
