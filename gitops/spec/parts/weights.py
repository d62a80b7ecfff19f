"""Where a ModelServer's weights come from: an existing claim, or a download by an init container."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..frozen import FrozenDict
from ..secrets import looks_like_secret
from ..values import ENV_VAR_NAME, normalize_memory, parse_image
from .base import _int_in, _Invalid, _Part, _require, wrap_part_init
from .env import FromConfigMap
from .resources import Resources

SOURCES = ("pvc", "init", "gcs", "s3")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$")


@dataclass(frozen=True, kw_only=True)
class Weights(_Part):
    """Where a ModelServer's weights come from, mounted read-only at `mount_path`.

    - Weights.from_pvc("models-claim"): an existing claim that holds them (fast restarts).
    - Weights.download(image=..., command=[...]): an init container writes them into an emptyDir
      of `size` before the server starts (no shared storage needed; slower cold start).
      download_seconds=300: the longest the download may take. The startup probe only starts
      once it is done, so it counts into the rollout's progress deadline too. `resources`: the
      init container's own (default: the server's CPU and memory, never its GPU). The emptyDir
      is counted in the pod's ephemeral-storage request.
    - Weights.gcs(bucket=..., path="models/llama"): the bucket mounted read-only through the Cloud
      Storage FUSE CSI driver (GKE; an inline CSI volume and the `gke-gcsfuse/volumes` pod
      annotation the driver's webhook looks for). The pods' ServiceAccount needs read access:
      `identity=CloudIdentity(gcp_service_account=...)` with Workload Identity.
    - Weights.s3(bucket=..., path="models/llama/", region=...): the bucket mounted read-only
      through Mountpoint for Amazon S3 (EKS; the driver supports static provisioning only, so a
      PersistentVolume `<namespace>-model-weights` and a claim bound to it are written). The
      driver's own identity (or the pod's, per its settings) needs read access to the bucket.
    Both mount at once with no download, so a cold start reads weights over the network.

    Attributes:
        source: `pvc` (an existing claim), `init` (a download by an init container), `gcs` or `s3` (a bucket
            mounted read-only); the class methods set it.
        mount_path: where the server finds the weights (read-only).
        claim: with `pvc`: the claim that holds them.
        sub_path: the folder inside the volume that holds them.
        image: with a download: the init container's image.
        command: with a download: its command.
        args: with a download: its arguments.
        env: with a download: its environment (secrets with FromSecret).
        size: with a download: the emptyDir's size, counted as ephemeral storage.
        download_seconds: with a download: the longest it may take (see above).
        resources: with a download: the init container's own `Resources(...)` (default: the server's CPU and
            memory, never its GPU).
        bucket: with `gcs` or `s3`: the bucket holding the weights.
        path: with `gcs` or `s3`: the folder inside the bucket.
        region: with `s3`: the bucket's region.
    """

    source: str
    mount_path: str = "/models"
    claim: str | None = None
    sub_path: str | None = None
    image: str | None = None
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    env: Mapping[str, Any] = field(default_factory=FrozenDict)
    size: str = "20Gi"
    download_seconds: int = 300
    resources: Resources | None = None
    bucket: str | None = None
    path: str | None = None
    region: str | None = None

    @classmethod
    def from_pvc(cls, claim: str, **kw: Any) -> "Weights":
        return cls(source="pvc", claim=claim, **kw)

    @classmethod
    def download(cls, image: str, command: list[str] | tuple[str, ...], **kw: Any) -> "Weights":
        return cls(source="init", image=image, command=tuple(command), **kw)

    @classmethod
    def gcs(cls, bucket: str, path: str | None = None, **kw: Any) -> "Weights":
        return cls(source="gcs", bucket=bucket, path=path, **kw)

    @classmethod
    def s3(cls, bucket: str, path: str | None = None, region: str | None = None, **kw: Any) -> "Weights":
        return cls(source="s3", bucket=bucket, path=path, region=region, **kw)

    def _validate(self) -> None:
        _require(self.source in SOURCES, "source", f"got {self.source!r}; expected one of {', '.join(SOURCES)}")
        _require(self.resources is None or (self.source == "init" and isinstance(self.resources, Resources)),
                 "resources", f"got {self.resources!r}; only a download (init container) has resources of its own")
        if self.source in ("gcs", "s3"):
            _require(isinstance(self.bucket, str) and bool(_BUCKET.match(self.bucket)), "bucket",
                     f"got {self.bucket!r}; expected a bucket name (lower case, digits, '-', '.', '_')")
            _require(self.path is None or (isinstance(self.path, str) and bool(self.path.strip("/"))
                                           and " " not in self.path and ".." not in self.path.split("/")),
                     "path", f"got {self.path!r}; expected a folder inside the bucket such as models/llama")
            _require(self.region is None or (self.source == "s3" and isinstance(self.region, str)
                                             and bool(re.match(r"^[a-z]{2}(-[a-z]+)+-[0-9]$", self.region))),
                     "region", f"got {self.region!r}; an S3 region such as us-east-1 (s3 only)")
        _require(isinstance(self.mount_path, str) and self.mount_path.startswith("/"), "mount_path",
                 f"got {self.mount_path!r}; expected an absolute path")
        if self.source == "pvc":
            _require(isinstance(self.claim, str) and bool(self.claim), "claim", f"got {self.claim!r}; expected a claim name")
        elif self.source == "init":
            try:
                parse_image(self.image)
            except ValueError as exc:
                raise _Invalid("image", str(exc)) from None
            _require(bool(self.command) and all(isinstance(c, str) for c in self.command), "command",
                     f"got {self.command!r}; expected the command that downloads the weights")
            object.__setattr__(self, "command", tuple(self.command))
            object.__setattr__(self, "args", tuple(self.args))
            _int_in(self.download_seconds, "download_seconds", 1, 86400)
            try:
                object.__setattr__(self, "size", normalize_memory(self.size))
            except ValueError as exc:
                raise _Invalid("size", str(exc)) from None
        _require(isinstance(self.env, Mapping) and all(
            isinstance(k, str) and ENV_VAR_NAME.match(k) and isinstance(v, (str, FromConfigMap)) for k, v in self.env.items()),
            "env", f"got {self.env!r}; expected a mapping of names to strings or FromSecret(...)")
        for key, value in self.env.items():
            _require(not (isinstance(value, str) and value and looks_like_secret(key)), f"env[{key!r}]",
                     "a credential must not be written in the spec; use FromSecret(name=..., key=...)")
        object.__setattr__(self, "env", FrozenDict(self.env))


wrap_part_init(Weights)
