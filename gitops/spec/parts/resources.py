"""CPU, memory and GPU requests and limits."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..frozen import FrozenDict
from ..values import check_label_key, normalize_cpu, normalize_memory, parse_quantity
from .base import _int_in, _Invalid, _Part, _require, wrap_part_init

@dataclass(frozen=True, kw_only=True)
class Resources(_Part):
    """Requests and limits.

    Defaults: the memory limit equals the request (a container over its request is the first one
    the kubelet evicts, and a limit equal to it makes out-of-memory kills predictable); no CPU limit
    (CPU limits throttle latency-sensitive servers and are not needed for fairness, requests are).
    GPUs go in limits and requests alike, as whole devices.

    extended: other extended resources, whole devices in limits and requests alike (the API server
    refuses them otherwise): EFA interfaces {"vpc.amazonaws.com/efa": 32}, RDMA devices
    {"rdma/rdma_shared_device_a": 1}, MIG slices {"nvidia.com/mig-1g.10gb": 2}. RDMA and EFA
    usually need the IPC_LOCK capability as well (`capabilities=["IPC_LOCK"]` on the app).
    ephemeral_storage: the node disk the container itself writes (logs, its writable layer). The
    request gitops writes adds the disk-backed emptyDirs of the pod (/tmp, scratch volumes, a
    weights download), so the scheduler places the pod on a node with room for all of it.

    Attributes:
        cpu: CPU request: cores as a number (`0.5`) or a quantity (`500m`); normalised (`0.5` -> `500m`).
        memory: memory request: a quantity (`512Mi`, `2Gi`); normalised (`1024Mi` -> `1Gi`).
        cpu_limit: CPU limit (None: no limit, see above); at least the request.
        memory_limit: memory limit (None: equal to the request); at least the request.
        gpu: whole GPUs, in requests and limits alike; GPU pods get the cluster profile's GPU node selection
            and toleration.
        gpu_resource: the extended resource name of the GPUs (`nvidia.com/gpu`, `amd.com/gpu`, a MIG profile
            such as `nvidia.com/mig-1g.10gb`).
    """

    cpu: str | int | float
    memory: str | int
    cpu_limit: str | int | float | None = None
    memory_limit: str | int | None = None
    gpu: int = 0
    gpu_resource: str = "nvidia.com/gpu"
    extended: Mapping[str, int] = field(default_factory=FrozenDict)
    ephemeral_storage: str | None = None

    def _validate(self) -> None:
        for name in ("cpu", "cpu_limit"):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                object.__setattr__(self, name, normalize_cpu(value))
            except ValueError as exc:
                raise _Invalid(name, str(exc)) from None
        for name in ("memory", "memory_limit"):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                object.__setattr__(self, name, normalize_memory(value))
            except ValueError as exc:
                raise _Invalid(name, str(exc)) from None
        _require(self.memory_limit is None or parse_quantity(self.memory_limit) >= parse_quantity(self.memory),
                 "memory_limit",
                 f"got {self.memory_limit!r}; the limit must not be below the request {self.memory!r}")
        if self.cpu_limit is not None:
            _require(parse_quantity(self.cpu_limit) >= parse_quantity(self.cpu), "cpu_limit",
                     f"got {self.cpu_limit!r}; the limit must not be below the request {self.cpu!r}")
        if self.ephemeral_storage is not None:
            try:
                object.__setattr__(self, "ephemeral_storage", normalize_memory(self.ephemeral_storage))
            except ValueError as exc:
                raise _Invalid("ephemeral_storage", str(exc)) from None
        _require(isinstance(self.extended, Mapping), "extended",
                 f"got {self.extended!r}; expected a mapping such as {{'vpc.amazonaws.com/efa': 32}}")
        for name, count in self.extended.items():
            problem = check_label_key(name) if isinstance(name, str) else "must be a string"
            _require(problem is None and "/" in name and not name.startswith("kubernetes.io/"), "extended",
                     f"got {name!r}; expected an extended resource name such as vpc.amazonaws.com/efa")
            _require(name != self.gpu_resource, "extended", f"{name} is the GPU resource; use gpu=")
            _int_in(count, f"extended[{name!r}]", 1, 1024)
        object.__setattr__(self, "extended", FrozenDict(sorted(self.extended.items())))
        _int_in(self.gpu, "gpu", 0, 64)
        problem = check_label_key(self.gpu_resource)
        _require(problem is None and "/" in self.gpu_resource, "gpu_resource",
                 f"got {self.gpu_resource!r}; expected an extended resource name such as nvidia.com/gpu")

    def requests(self) -> dict[str, str]:
        out = {"cpu": str(self.cpu), "memory": str(self.memory)}
        if self.gpu:
            out[self.gpu_resource] = str(self.gpu)
        out.update((name, str(count)) for name, count in self.extended.items())
        return out

    def limits(self) -> dict[str, str]:
        out = {"memory": str(self.memory_limit or self.memory)}
        if self.cpu_limit is not None:
            out["cpu"] = str(self.cpu_limit)
        if self.gpu:
            out[self.gpu_resource] = str(self.gpu)
        out.update((name, str(count)) for name, count in self.extended.items())
        return out


wrap_part_init(Resources)
