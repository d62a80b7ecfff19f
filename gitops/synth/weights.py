"""Model weights mounted straight from object storage, instead of downloaded by an init container.

- GCS: the Cloud Storage FUSE CSI driver of GKE, as a CSI ephemeral (inline) volume; the driver's
  webhook injects its sidecar into pods annotated `gke-gcsfuse/volumes: "true"`
  (https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver).
  `only-dir` mounts one folder of the bucket; `implicit-dirs` shows folders that exist only as
  object prefixes.
- S3: Mountpoint for Amazon S3's CSI driver (`s3.csi.aws.com`), which supports static provisioning
  only: a PersistentVolume naming the bucket and a claim bound to it
  (https://docs.aws.amazon.com/eks/latest/userguide/s3-csi.html, and the driver's
  examples/kubernetes/static_provisioning). `prefix` mounts one folder; `uid`/`gid`/`allow-other`
  let the non-root pod user read what the driver mounts.
Both are read-only: a server must never change the weights other replicas load.
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from .context import Target
from .pod import PodExtras, quantity
from .storage import KEEP_DATA

if TYPE_CHECKING:
    from cdk8s import Chart

GCS_DRIVER = "gcsfuse.csi.storage.gke.io"
GCS_POD_ANNOTATION = "gke-gcsfuse/volumes"
S3_DRIVER = "s3.csi.aws.com"
NOMINAL_SIZE = "1Gi"  # a bucket has no size; the API requires one on the volume and claim


def weights_volume_name(t: Target, volume: str) -> str:
    """The S3 PersistentVolume: cluster-wide, so the namespace keeps apps and environments apart."""
    return f"{t.namespace}-{volume}"


def bucket_extras(k8s: ModuleType, t: Target, volume: str, mount: Any) -> PodExtras:
    weights = t.app.weights
    if weights.source == "gcs":
        options = ["implicit-dirs", f"uid={t.app.run_as_user}", f"gid={t.app.run_as_user}"]
        if weights.path:
            options.append(f"only-dir={weights.path.strip('/')}")
        csi = k8s.CsiVolumeSource(driver=GCS_DRIVER, read_only=True, volume_attributes={
            "bucketName": weights.bucket, "mountOptions": ",".join(options)})
        return PodExtras(volumes=(k8s.Volume(name=volume, csi=csi),), mounts=(mount,),
                         pod_annotations=((GCS_POD_ANNOTATION, "true"),))
    claim = k8s.PersistentVolumeClaimVolumeSource(claim_name=volume, read_only=True)
    return PodExtras(volumes=(k8s.Volume(name=volume, persistent_volume_claim=claim),), mounts=(mount,))


def build_bucket_claim(k8s: ModuleType, chart: Chart, t: Target, volume: str, meta: Any) -> None:
    """The PersistentVolume and claim of S3 weights (Retain: deleting them never touches the bucket)."""
    weights = t.app.weights
    if weights is None or weights.source != "s3":
        return
    pv_name = weights_volume_name(t, volume)
    user = t.app.run_as_user
    options = ["read-only", "allow-other", f"uid={user}", f"gid={user}"]
    if weights.path:
        options.append(f"prefix {weights.path.strip('/')}/")
    if weights.region:
        options.append(f"region {weights.region}")
    size = {"storage": quantity(k8s, NOMINAL_SIZE)}
    k8s.KubePersistentVolume(chart, f"pv-{volume}", metadata=k8s.ObjectMeta(name=pv_name, labels=t.labels()),
                             spec=k8s.PersistentVolumeSpec(
                                 access_modes=["ReadOnlyMany"], capacity=size, storage_class_name="",
                                 persistent_volume_reclaim_policy="Retain", mount_options=options,
                                 claim_ref=k8s.ObjectReference(name=volume, namespace=t.namespace),
                                 csi=k8s.CsiPersistentVolumeSource(driver=S3_DRIVER, volume_handle=pv_name,
                                                                   read_only=True,
                                                                   volume_attributes={"bucketName": weights.bucket})))
    k8s.KubePersistentVolumeClaim(chart, f"pvc-{volume}", metadata=meta(k8s, t, name=volume, annotations=KEEP_DATA),
                                  spec=k8s.PersistentVolumeClaimSpec(
                                      access_modes=["ReadOnlyMany"], storage_class_name="", volume_name=pv_name,
                                      resources=k8s.VolumeResourceRequirements(requests=size)))
