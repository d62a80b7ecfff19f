"""Volumes mounted into the container: claims, NFS shares, ConfigMaps, Secrets, scratch space."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..values import check_dns_label, check_dns_subdomain, normalize_memory
from .base import _Invalid, _Part, _require, wrap_part_init
from .env import SECRET_PROVIDERS

ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


@dataclass(frozen=True, kw_only=True)
class Volume(_Part):
    """A volume mounted into the container. Build one with the class methods:

    - Volume.pvc(name, path, size="50Gi"): a PersistentVolumeClaim the app owns (in a
      StatefulService, one per pod through volumeClaimTemplates); without `size`, an existing claim
      named `claim` (default: `name`). Storage class: the spec's, else the cluster profile's
      (its shared class for ReadWriteMany), else the cluster default.
    - Volume.ephemeral(name, path, size="100Gi"): a claim made and deleted with each pod (scratch
      space bigger than a node's disk share).
    - Volume.nfs(name, path, server=..., export=...): an NFS share (datasets read by many pods),
      mounted through a PersistentVolume (`<namespace>-<name>`) and a claim `<name>` bound to it, so
      pods pass the Pod Security `restricted` level, which refuses inline `nfs` volumes.
    - Volume.config_map / Volume.secret: files from an existing ConfigMap or Secret (read-only); a
      secret may name the ExternalSecret or SealedSecret that makes it (`provider`).
    - Volume.empty_dir(name, path, size_limit=..., memory=True): scratch space, RAM-backed if asked.

    Attributes:
        name: the volume's name in the pod (unique; `tmp` is reserved).
        mount_path: where the container sees it (an absolute path).
        source: `config_map`, `secret`, `empty_dir`, `pvc`, `ephemeral` or `nfs` (use the class methods).
        ref: the existing ConfigMap, Secret or claim it mounts (default: `name`).
        read_only: mount it read-only (ConfigMaps and Secrets always are).
        size_limit: an emptyDir's size limit (a quantity); a memory-backed one counts against the memory limit.
        medium: `Memory` for a RAM-backed emptyDir (tmpfs); None: the node's disk.
        sub_path: mount one file or folder of the volume instead of all of it.
        size: the size of a claim the app owns (`pvc`) or of an ephemeral claim; without it a `pvc` is an
            existing claim.
        access_modes: the claim's access modes; `ReadWriteMany` uses the cluster profile's shared storage
            class.
        storage_class: the claim's storage class (default: the cluster profile's).
        server: the NFS server (`nfs`).
        export: the exported path on the NFS server (`nfs`).
        provider: for a Secret volume: the ExternalSecret or SealedSecret that makes the Secret.
    """

    name: str
    mount_path: str
    source: str
    ref: str | None = None
    read_only: bool = False
    size_limit: str | None = None
    medium: str | None = None
    sub_path: str | None = None
    size: str | None = None
    access_modes: tuple[str, ...] = ("ReadWriteOnce",)
    storage_class: str | None = None
    server: str | None = None
    export: str | None = None
    provider: str | None = None

    SOURCES = ("config_map", "secret", "empty_dir", "pvc", "ephemeral", "nfs")

    @classmethod
    def config_map(cls, name: str, mount_path: str, config_map: str | None = None, **kw: Any) -> "Volume":
        return cls(name=name, mount_path=mount_path, source="config_map", ref=config_map or name,
                   read_only=True, **kw)

    @classmethod
    def secret(cls, name: str, mount_path: str, secret: str | None = None, **kw: Any) -> "Volume":
        return cls(name=name, mount_path=mount_path, source="secret", ref=secret or name, read_only=True, **kw)

    @classmethod
    def empty_dir(cls, name: str, mount_path: str, size_limit: str | None = None, memory: bool = False,
                  **kw: Any) -> "Volume":
        return cls(name=name, mount_path=mount_path, source="empty_dir", size_limit=size_limit,
                   medium="Memory" if memory else None, **kw)

    @classmethod
    def pvc(cls, name: str, mount_path: str, claim: str | None = None, **kw: Any) -> "Volume":
        return cls(name=name, mount_path=mount_path, source="pvc", ref=claim or name, **kw)

    @classmethod
    def ephemeral(cls, name: str, mount_path: str, size: str, **kw: Any) -> "Volume":
        return cls(name=name, mount_path=mount_path, source="ephemeral", size=size, **kw)

    @classmethod
    def nfs(cls, name: str, mount_path: str, server: str, export: str, **kw: Any) -> "Volume":
        return cls(name=name, mount_path=mount_path, source="nfs", server=server, export=export, **kw)

    @property
    def owned_claim(self) -> bool:
        """True when the app creates this claim (a pvc with a size), False for an existing one."""
        return self.source == "pvc" and self.size is not None

    def _validate(self) -> None:
        problem = check_dns_label(self.name)
        _require(problem is None, "name", str(problem))
        _require(isinstance(self.mount_path, str) and self.mount_path.startswith("/") and ":" not in self.mount_path,
                 "mount_path", f"got {self.mount_path!r}; expected an absolute path without ':'")
        _require(self.source in self.SOURCES, "source", f"got {self.source!r}; expected one of {', '.join(self.SOURCES)}")
        for name in ("ref", "storage_class"):
            if getattr(self, name) is not None:
                problem = check_dns_subdomain(getattr(self, name))
                _require(problem is None, name, str(problem))
        for name in ("size_limit", "size"):
            if getattr(self, name) is not None:
                try:
                    object.__setattr__(self, name, normalize_memory(getattr(self, name)))
                except ValueError as exc:
                    raise _Invalid(name, str(exc)) from None
        _require(self.source != "ephemeral" or self.size is not None, "size",
                 "an ephemeral volume needs a size, e.g. size='100Gi'")
        _require(self.size is None or self.source in ("pvc", "ephemeral"), "size",
                 f"got {self.size!r}; only pvc and ephemeral volumes have a size (emptyDir: size_limit)")
        modes = self.access_modes
        _require(isinstance(modes, (list, tuple)) and bool(modes) and all(m in ACCESS_MODES for m in modes),
                 "access_modes", f"got {modes!r}; expected a list of {', '.join(ACCESS_MODES)}")
        object.__setattr__(self, "access_modes", tuple(modes))
        if self.source == "nfs":
            _require(isinstance(self.server, str) and bool(self.server) and " " not in self.server, "server",
                     f"got {self.server!r}; expected an NFS server host name or address")
            _require(isinstance(self.export, str) and self.export.startswith("/"), "export",
                     f"got {self.export!r}; expected the absolute path the server exports")
        _require(self.provider is None or (self.source == "secret" and self.provider in SECRET_PROVIDERS),
                 "provider", f"got {self.provider!r}; a secret volume's provider is one of "
                 f"{', '.join(SECRET_PROVIDERS)} (or None for an existing Secret)")



wrap_part_init(Volume)
