"""The declarative model users write in `apps/*.py`.

Every class is a frozen, keyword-only dataclass validated on construction: a mistake raises
SpecError naming the spec file and line, the app, the field, the bad value and what is allowed.
Platform defaults are declared once, next to their field, with the reason.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..errors import SpecError
from .frozen import FrozenDict
from .parts import (_Invalid, _int_in, _is_int, _Part, _require, _string_map, caller_location,
                    wrap_part_init)
from .scheduling import Scheduling
from .values import (ENV_VAR_NAME, Image, check_dns_label, check_dns_subdomain, check_label_key,
                     check_label_value, normalize_cpu, normalize_memory, parse_image, parse_quantity)

# --- ports, env, resources -------------------------------------------------------------------

PROTOCOLS = ("TCP", "UDP", "SCTP")


@dataclass(frozen=True, kw_only=True)
class Port(_Part):
    """A container port. `service_port` is what the Service exposes (default: the same number)."""

    port: int
    name: str = "http"
    protocol: str = "TCP"
    service_port: int | None = None

    def _validate(self) -> None:
        _int_in(self.port, "port", 1, 65535)
        problem = check_dns_label(self.name, 15)
        _require(problem is None, "name", f"{problem} (port names are IANA service names)")
        _require(self.protocol in PROTOCOLS, "protocol", f"got {self.protocol!r}; expected one of {', '.join(PROTOCOLS)}")
        if self.service_port is not None:
            _int_in(self.service_port, "service_port", 1, 65535)


SECRET_PROVIDERS = ("ExternalSecret", "SealedSecret")


@dataclass(frozen=True, kw_only=True)
class FromConfigMap(_Part):
    """An env var read from a key of a ConfigMap that exists outside this spec."""

    name: str
    key: str
    optional: bool = False

    def _validate(self) -> None:
        problem = check_dns_subdomain(self.name)
        _require(problem is None, "name", str(problem))
        _require(isinstance(self.key, str) and bool(self.key), "key", f"got {self.key!r}; expected a key name")


@dataclass(frozen=True, kw_only=True)
class FromSecret(FromConfigMap):
    """An env var read from a key of a Secret. Secrets are referenced, never written: the Secret
    exists in the cluster, or is made there by the ExternalSecret or SealedSecret named by
    `provider` (recorded on the workload so reviewers see where the value comes from)."""

    provider: str | None = None

    def _validate(self) -> None:
        super()._validate()
        _require(self.provider is None or self.provider in SECRET_PROVIDERS, "provider",
                 f"got {self.provider!r}; expected one of {', '.join(SECRET_PROVIDERS)} or None (an existing Secret)")


@dataclass(frozen=True, kw_only=True)
class Resources(_Part):
    """Requests and limits.

    Defaults: the memory limit equals the request (a container over its request is the first one
    the kubelet evicts, and a limit equal to it makes out-of-memory kills predictable); no CPU limit
    (CPU limits throttle latency-sensitive servers and are not needed for fairness, requests are).
    GPUs go in limits and requests alike, as whole devices.
    """

    cpu: str | int | float
    memory: str | int
    cpu_limit: str | int | float | None = None
    memory_limit: str | int | None = None
    gpu: int = 0
    gpu_resource: str = "nvidia.com/gpu"

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
        _int_in(self.gpu, "gpu", 0, 64)
        problem = check_label_key(self.gpu_resource)
        _require(problem is None and "/" in self.gpu_resource, "gpu_resource",
                 f"got {self.gpu_resource!r}; expected an extended resource name such as nvidia.com/gpu")

    def requests(self) -> dict[str, str]:
        out = {"cpu": str(self.cpu), "memory": str(self.memory)}
        if self.gpu:
            out[self.gpu_resource] = str(self.gpu)
        return out

    def limits(self) -> dict[str, str]:
        out = {"memory": str(self.memory_limit or self.memory)}
        if self.cpu_limit is not None:
            out["cpu"] = str(self.cpu_limit)
        if self.gpu:
            out[self.gpu_resource] = str(self.gpu)
        return out


# --- probes -------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Probe(_Part):
    """A health check. Build one with Probe.http, Probe.tcp, Probe.exec or Probe.grpc."""

    kind: str
    port: int | str | None = None
    path: str | None = None
    command: tuple[str, ...] = ()
    grpc_service: str | None = None
    initial_delay_seconds: int = 0
    period_seconds: int = 10
    timeout_seconds: int = 1
    failure_threshold: int = 3
    success_threshold: int = 1

    KINDS = ("http", "tcp", "exec", "grpc")

    @classmethod
    def http(cls, path: str, port: int | str = "http", **timing: Any) -> "Probe":
        return cls(kind="http", path=path, port=port, **timing)

    @classmethod
    def tcp(cls, port: int | str = "http", **timing: Any) -> "Probe":
        return cls(kind="tcp", port=port, **timing)

    @classmethod
    def exec(cls, *command: str, **timing: Any) -> "Probe":
        return cls(kind="exec", command=tuple(command), **timing)

    @classmethod
    def grpc(cls, port: int, service: str | None = None, **timing: Any) -> "Probe":
        return cls(kind="grpc", port=port, grpc_service=service, **timing)

    def _validate(self) -> None:
        _require(self.kind in self.KINDS, "kind", f"got {self.kind!r}; expected one of {', '.join(self.KINDS)}")
        if self.kind in ("http", "tcp", "grpc"):
            if self.kind == "grpc" or _is_int(self.port):
                _int_in(self.port, "port", 1, 65535)
            else:
                problem = check_dns_label(self.port, 15)
                _require(problem is None, "port", f"{problem} (a port number or the name of a declared port)")
        if self.kind == "http":
            _require(isinstance(self.path, str) and self.path.startswith("/"), "path",
                     f"got {self.path!r}; expected an absolute URL path such as /healthz")
        if self.kind == "exec":
            object.__setattr__(self, "command", tuple(self.command))
            _require(bool(self.command) and all(isinstance(c, str) for c in self.command), "command",
                     f"got {self.command!r}; expected a non-empty list of strings")
        _int_in(self.initial_delay_seconds, "initial_delay_seconds", 0)
        for name in ("period_seconds", "timeout_seconds", "failure_threshold", "success_threshold"):
            _int_in(getattr(self, name), name, 1)

    def budget_seconds(self) -> int:
        """The longest time this probe lets a container take before it gives up."""
        return self.initial_delay_seconds + self.period_seconds * self.failure_threshold


# --- volumes ----------------------------------------------------------------------------------

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


# --- exposure and scaling -------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Ingress(_Part):
    """HTTP routing from a host and path to the app's Service."""

    host: str
    path: str = "/"
    path_type: str = "Prefix"
    port: str | None = None  # name of the app port to route to; default: the first port
    tls_secret: str | None = None
    class_name: str | None = None
    annotations: Mapping[str, str] = field(default_factory=FrozenDict)

    def _validate(self) -> None:
        host = self.host[2:] if isinstance(self.host, str) and self.host.startswith("*.") else self.host
        problem = check_dns_subdomain(host)
        _require(problem is None, "host", str(problem))
        _require(isinstance(self.path, str) and self.path.startswith("/"), "path",
                 f"got {self.path!r}; expected an absolute path such as /api")
        _require(self.path_type in ("Prefix", "Exact", "ImplementationSpecific"), "path_type",
                 f"got {self.path_type!r}; expected Prefix, Exact or ImplementationSpecific")
        for name in ("tls_secret", "class_name"):
            value = getattr(self, name)
            if value is not None:
                problem = check_dns_subdomain(value)
                _require(problem is None, name, str(problem))
        object.__setattr__(self, "annotations", _string_map(self.annotations, "annotations"))


METRIC_KINDS = ("pods", "object", "external")


@dataclass(frozen=True, kw_only=True)
class Metric(_Part):
    """A custom or external autoscaling metric (served by a metrics adapter such as prometheus-adapter
    or KEDA). Build one with Metric.pods, Metric.object or Metric.external.

    - pods: a per-pod metric averaged over the pods (requests in flight per replica).
    - object: a metric of one other object (requests per second on an Ingress).
    - external: a metric from outside the cluster (queue length of a cloud queue).
    Targets are quantities: `average_value` (divided by the replica count) or `value` (the total).
    """

    kind: str
    name: str
    average_value: str | None = None
    value: str | None = None
    selector: Mapping[str, str] = field(default_factory=FrozenDict)
    object_kind: str | None = None
    object_name: str | None = None
    object_api_version: str = "v1"

    @classmethod
    def pods(cls, name: str, average_value: str | int, **kw: Any) -> "Metric":
        return cls(kind="pods", name=name, average_value=str(average_value), **kw)

    @classmethod
    def object(cls, name: str, kind: str, object_name: str, value: str | int | None = None,
               average_value: str | int | None = None, api_version: str = "v1", **kw: Any) -> "Metric":
        return cls(kind="object", name=name, object_kind=kind, object_name=object_name, object_api_version=api_version,
                   value=None if value is None else str(value),
                   average_value=None if average_value is None else str(average_value), **kw)

    @classmethod
    def external(cls, name: str, value: str | int | None = None, average_value: str | int | None = None,
                 **kw: Any) -> "Metric":
        return cls(kind="external", name=name, value=None if value is None else str(value),
                   average_value=None if average_value is None else str(average_value), **kw)

    def _validate(self) -> None:
        _require(self.kind in METRIC_KINDS, "kind", f"got {self.kind!r}; expected one of {', '.join(METRIC_KINDS)}")
        _require(isinstance(self.name, str) and bool(re.match(r"^[A-Za-z_:][A-Za-z0-9_:.\-/]*$", self.name)), "name",
                 f"got {self.name!r}; expected a metric name such as http_requests_in_flight")
        _require((self.value is None) != (self.average_value is None), "value",
                 "set exactly one of value (the total) or average_value (per replica)")
        _require(self.kind != "pods" or self.value is None, "value", "a pods metric is always an average_value")
        for name in ("value", "average_value"):
            if getattr(self, name) is not None:
                try:
                    parse_quantity(getattr(self, name))
                except ValueError as exc:
                    raise _Invalid(name, str(exc)) from None
        object.__setattr__(self, "selector", _string_map(self.selector, "selector", check_label_key, check_label_value))
        if self.kind == "object":
            _require(isinstance(self.object_kind, str) and self.object_kind[:1].isupper(), "object_kind",
                     f"got {self.object_kind!r}; expected a kind such as Ingress")
            problem = check_dns_subdomain(self.object_name)
            _require(problem is None, "object_name", str(problem))


@dataclass(frozen=True, kw_only=True)
class Autoscaling(_Part):
    """A HorizontalPodAutoscaler. At least one target; utilisation is a percent of the request.

    Defaults, each with its reason:
    - cpu_percent=70: headroom for a burst while new replicas start.
    - scale_down_stabilization_seconds=300: scale down only after 5 minutes of lower load, so a
      short dip does not drop warm replicas (costly for servers that load a model).
    - scale_up_stabilization_seconds=None: Kubernetes' default (0), react to load at once.
    """

    min_replicas: int
    max_replicas: int
    cpu_percent: int | None = 70
    memory_percent: int | None = None
    metrics: tuple[Metric, ...] = ()
    scale_up_stabilization_seconds: int | None = None
    scale_down_stabilization_seconds: int = 300

    def _validate(self) -> None:
        _int_in(self.min_replicas, "min_replicas", 1)
        _int_in(self.max_replicas, "max_replicas", 1)
        _require(self.max_replicas >= self.min_replicas, "max_replicas",
                 f"got {self.max_replicas}; must be at least min_replicas ({self.min_replicas})")
        for name in ("cpu_percent", "memory_percent"):
            if getattr(self, name) is not None:
                _int_in(getattr(self, name), name, 1, 1000)
        _require(isinstance(self.metrics, (list, tuple)) and all(isinstance(m, Metric) for m in self.metrics),
                 "metrics", f"got {self.metrics!r}; expected a list of Metric.pods/object/external(...)")
        object.__setattr__(self, "metrics", tuple(self.metrics))
        _require(self.cpu_percent is not None or self.memory_percent is not None or bool(self.metrics),
                 "cpu_percent", "set cpu_percent, memory_percent or metrics: an autoscaler needs a target")
        if self.scale_up_stabilization_seconds is not None:
            _int_in(self.scale_up_stabilization_seconds, "scale_up_stabilization_seconds", 0, 3600)
        _int_in(self.scale_down_stabilization_seconds, "scale_down_stabilization_seconds", 0, 3600)


# --- workloads ------------------------------------------------------------------------------------

# Fields whose per-environment override merges into the base value instead of replacing it.
_MERGED_MAPPINGS = ("env", "config", "labels", "annotations")
_NOT_OVERRIDABLE = ("name", "environments")
# Env var names that hold credentials: their value must come from a Secret, never the spec.
_SECRET_WORDS = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIAL", "CREDENTIALS",
                 "PRIVATEKEY", "ACCESSKEY"}


def looks_like_secret(name: str) -> bool:
    """True when a variable name says it holds a credential (HF_TOKEN, DB_PASSWORD, API_KEY)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name.upper()) if w]
    pairs = {a + b for a, b in zip(words, words[1:])}
    return bool(_SECRET_WORDS & (set(words) | pairs))


@dataclass(frozen=True, kw_only=True)
class Workload:
    """What every workload kind shares: a container image, its environment, resources, volumes,
    placement and per-environment overrides. Use one of the kinds (Service, Worker, Job, ...).

    Defaults shared by every kind, each with its reason:
    - service_account=True: each app gets its own identity; the token is not mounted unless
      `mount_service_account_token=True`, because most apps never call the Kubernetes API.
    - non-root, read-only root filesystem, no privilege escalation, all capabilities dropped,
      RuntimeDefault seccomp: the restricted Pod Security Standard. A writable /tmp is mounted
      (emptyDir) because most runtimes need one.
    - secrets only by reference: an env var whose name says it holds a credential (…_TOKEN,
      …_PASSWORD, API_KEY) must use FromSecret; a literal value there is refused, because the spec
      and generated/ are committed to git.
    """

    name: str
    image: str
    env: Mapping[str, Any] = field(default_factory=FrozenDict)
    config: Mapping[str, str] = field(default_factory=FrozenDict)
    resources: Resources | None = None
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    volumes: tuple[Volume, ...] = ()
    scheduling: Scheduling | None = None
    labels: Mapping[str, str] = field(default_factory=FrozenDict)
    annotations: Mapping[str, str] = field(default_factory=FrozenDict)
    namespace: str | None = None
    component: str = "server"
    part_of: str | None = None
    service_account: bool = True
    mount_service_account_token: bool = False
    run_as_user: int = 10001
    depends_on: tuple[str, ...] = ()
    environments: Mapping[str, Mapping[str, Any]] = field(default_factory=FrozenDict)
    source: tuple[str, int] | None = field(default=None, compare=False, repr=False)

    KIND = "workload"  # the kind's name in docs and messages

    @property
    def where(self) -> tuple[str, int]:
        """The spec file and line that built this workload (`source`, set on construction)."""
        return self.source or ("<unknown>", 0)

    def __post_init__(self) -> None:
        if self.source is None:
            object.__setattr__(self, "source", caller_location())
        try:
            self._validate()
        except _Invalid as exc:
            raise SpecError(exc.message, file=self.where[0], line=self.where[1],
                            app=self.name if isinstance(self.name, str) else repr(self.name),
                            field=exc.field_name) from None
        # Resolve each environment now so a bad override fails at the line that wrote it.
        for env in self.environments:
            self.for_environment(env)

    # -- validation --
    def _validate(self) -> None:
        problem = check_dns_label(self.name, 40)
        _require(problem is None, "name", f"{problem} (40 at most, so '<app>-<env>' fits a namespace)")
        try:
            parse_image(self.image)
        except ValueError as exc:
            raise _Invalid("image", str(exc)) from None
        object.__setattr__(self, "env", self._env(self.env))
        object.__setattr__(self, "config", _string_map(self.config, "config",
                                                       key_check=lambda k: None if ENV_VAR_NAME.match(k) and len(k) <= 253 else f"config key {k!r} is not a valid ConfigMap key"))
        for key, value in self.config.items():
            _require(not (looks_like_secret(key) and value), f"config[{key!r}]",
                     "a credential must not be written in the spec; keep it in a Secret and read it "
                     "with env={...: FromSecret(name=..., key=...)}")
        for name, cls in (("resources", Resources), ("scheduling", Scheduling)):
            value = getattr(self, name)
            _require(value is None or isinstance(value, cls), name,
                     f"got {value!r}; expected {cls.__name__}(...) or None")
        for name in ("command", "args", "depends_on"):
            value = getattr(self, name)
            _require(isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value), name,
                     f"got {value!r}; expected a list of strings")
            object.__setattr__(self, name, tuple(value))
        for dep in self.depends_on:
            problem = check_dns_label(dep, 40)
            _require(problem is None, "depends_on", f"{problem} (the name of another app)")
        self._parts("volumes", Volume)
        vnames = [v.name for v in self.volumes]
        _require(len(set(vnames)) == len(vnames) and "tmp" not in vnames, "volumes",
                 f"volume names must be unique and not 'tmp' (reserved for /tmp), got {vnames}")
        object.__setattr__(self, "labels", _string_map(self.labels, "labels", check_label_key, check_label_value))
        object.__setattr__(self, "annotations", _string_map(self.annotations, "annotations", check_label_key))
        if self.namespace is not None:
            problem = check_dns_label(self.namespace)
            _require(problem is None, "namespace", str(problem))
        for name in ("component",) + (("part_of",) if self.part_of is not None else ()):
            problem = check_label_value(getattr(self, name))
            _require(problem is None and getattr(self, name) != "", name, str(problem or "must not be empty"))
        _int_in(self.run_as_user, "run_as_user", 1)
        for name in ("service_account", "mount_service_account_token"):
            _require(isinstance(getattr(self, name), bool), name, f"got {getattr(self, name)!r}; expected True or False")
        _require(isinstance(self.environments, Mapping), "environments",
                 f"got {self.environments!r}; expected a mapping of environment name to overrides")
        envs = {}
        allowed = sorted(f.name for f in dataclasses.fields(self) if f.name not in _NOT_OVERRIDABLE + ("source",))
        for env, overrides in self.environments.items():
            problem = check_dns_label(env, 20)
            _require(problem is None, "environments", f"environment name: {problem}")
            _require(isinstance(overrides, Mapping), f"environments[{env!r}]",
                     f"got {overrides!r}; expected a mapping of field name to value")
            for key in overrides:
                _require(key in allowed, f"environments[{env!r}]",
                         f"unknown field {key!r}; overridable fields are: {', '.join(allowed)}")
            envs[env] = FrozenDict(overrides)
        object.__setattr__(self, "environments", FrozenDict(envs))

    def _check_probe_ports(self, names: list[str]) -> None:
        for probe_name in ("readiness", "liveness", "startup"):
            probe = getattr(self, probe_name, None)
            _require(probe is None or isinstance(probe, Probe), probe_name,
                     f"got {probe!r}; expected Probe(...) or None")
            if probe is not None and isinstance(probe.port, str):
                _require(probe.port in names, f"{probe_name}.port",
                         f"got {probe.port!r}; expected the name of a declared port ({', '.join(names) or 'none declared'})")

    def _parts(self, name: str, cls: type, allow_int: bool = False) -> None:
        value = getattr(self, name)
        _require(isinstance(value, (list, tuple)), name, f"got {value!r}; expected a list of {cls.__name__}")
        items: list[Any] = []
        for i, item in enumerate(value):
            if allow_int and _is_int(item):
                item = Port(port=item, name="http" if not items else f"port-{item}")
            _require(isinstance(item, cls), f"{name}[{i}]", f"got {item!r}; expected {cls.__name__}(...)")
            items.append(item)
        object.__setattr__(self, name, tuple(items))

    def _env(self, value: Any) -> FrozenDict:
        _require(isinstance(value, Mapping), "env", f"got {value!r}; expected a mapping of name to value")
        out = {}
        for k, v in value.items():
            _require(isinstance(k, str) and bool(ENV_VAR_NAME.match(k)), "env",
                     f"variable name {k!r} is not valid; use letters, digits, '_', '-' or '.', not starting with a digit")
            if isinstance(v, bool) or v is None:
                raise _Invalid(f"env[{k!r}]", f"got {v!r}; write booleans and empty values as strings ('true', '')")
            if isinstance(v, (int, float)):
                v = str(v)
            _require(isinstance(v, (str, FromConfigMap)), f"env[{k!r}]",
                     f"got {v!r}; expected a string, FromConfigMap(...) or FromSecret(...)")
            _require(not (isinstance(v, str) and v and looks_like_secret(k)), f"env[{k!r}]",
                     "a credential must not be written in the spec (it would be committed to git); keep "
                     "it in a Secret and use FromSecret(name=..., key=...)")
            out[k] = v
        return FrozenDict(out)

    # -- derived --
    def probes(self) -> tuple[Probe | None, Probe | None, Probe | None]:
        """(readiness, liveness, startup) as the pod gets them; kinds may derive defaults."""
        return (getattr(self, "readiness", None), getattr(self, "liveness", None), getattr(self, "startup", None))

    @property
    def image_ref(self) -> Image:
        return parse_image(self.image)

    @property
    def version(self) -> str:
        """The `app.kubernetes.io/version` label: the image tag, else a short digest."""
        image = self.image_ref
        raw = image.tag or (image.digest or "").split(":")[-1][:12]
        return raw[:63].strip("-_.") or "unknown"

    def for_environment(self, env: str) -> "Workload":
        """This app with the overrides of `env` applied (the base app when it has none)."""
        overrides = self.environments.get(env)
        if not overrides:
            return dataclasses.replace(self, environments=FrozenDict())
        changes: dict[str, Any] = {"environments": FrozenDict()}
        for key, value in overrides.items():
            base = getattr(self, key)
            if key in _MERGED_MAPPINGS and isinstance(value, Mapping):
                merged = {**base, **value}
                changes[key] = {k: v for k, v in merged.items() if v is not None}
            elif dataclasses.is_dataclass(base) and isinstance(value, Mapping):
                changes[key] = (key, value)  # merged below, inside the error handler
            else:
                changes[key] = value
        try:
            for key, value in list(changes.items()):
                if isinstance(value, tuple) and len(value) == 2 and value[0] == key:
                    try:
                        changes[key] = dataclasses.replace(getattr(self, key), **value[1])
                    except SpecError as exc:
                        sub = (exc.field or "").partition(".")[2]
                        raise SpecError(exc.bare_message, field=f"{key}.{sub}" if sub else key) from None
            return dataclasses.replace(self, **changes)
        except TypeError as exc:  # an unknown sub-field in a merged override
            raise SpecError(f"in environment {env!r}: {exc}", file=self.where[0], line=self.where[1],
                            app=self.name, field="environments") from None
        except SpecError as exc:
            raise SpecError(exc.bare_message, file=self.where[0], line=self.where[1], app=self.name,
                            field=f"environments[{env!r}].{exc.field}") from None


SERVICE_TYPES = ("ClusterIP", "Headless", "LoadBalancer")


@dataclass(frozen=True, kw_only=True)
class Service(Workload):
    """A long-running server with ports: a Deployment with its Service, Ingress, HPA and PDB.

    Defaults, each with its reason:
    - replicas=1: the smallest footprint; ask for more per environment (prod) or autoscale.
    - service: "ClusterIP" when the app has ports, so other apps reach it by name.
    - max_unavailable=0, max_surge="25%": a rollout never drops below the wanted capacity.
    - progress_deadline_seconds=600: Kubernetes' own default, written out so reviewers see it; it is
      raised automatically to cover a slow startup probe.
    - a PodDisruptionBudget (one pod at a time) whenever two or more replicas run.
    """

    ports: tuple[Port, ...] = ()
    replicas: int = 1
    readiness: Probe | None = None
    liveness: Probe | None = None
    startup: Probe | None = None
    service: str | None = "ClusterIP"
    ingress: Ingress | None = None
    autoscaling: Autoscaling | None = None
    max_unavailable: int | str = 0
    max_surge: int | str = "25%"
    progress_deadline_seconds: int = 600

    KIND = "Service"

    def _validate(self) -> None:
        super()._validate()
        self._parts("ports", Port, allow_int=True)
        names = [p.name for p in self.ports]
        _require(len(set(names)) == len(names), "ports", f"port names must be unique, got {names}")
        numbers = [p.port for p in self.ports]
        _require(len(set(numbers)) == len(numbers), "ports", f"port numbers must be unique, got {numbers}")
        _int_in(self.replicas, "replicas", 0, 2**31 - 1)
        for name, cls in (("ingress", Ingress), ("autoscaling", Autoscaling)):
            value = getattr(self, name)
            _require(value is None or isinstance(value, cls), name,
                     f"got {value!r}; expected {cls.__name__}(...) or None")
        self._check_probe_ports(names)
        _require(self.service in SERVICE_TYPES or self.service is None, "service",
                 f"got {self.service!r}; expected one of {', '.join(SERVICE_TYPES)} or None")
        _require(self.service is None or bool(self.ports), "service",
                 f"got {self.service!r} but the app has no ports; declare ports or set service=None")
        _require(self.ingress is None or (self.service is not None and self.service != "Headless"), "ingress",
                 "an ingress needs a ClusterIP or LoadBalancer service")
        if self.ingress is not None and self.ingress.port is not None:
            _require(self.ingress.port in names, "ingress.port", f"got {self.ingress.port!r}; expected one of {names}")
        for name in ("max_unavailable", "max_surge"):
            value = getattr(self, name)
            ok = (_is_int(value) and value >= 0) or (isinstance(value, str) and value.endswith("%")
                                                     and value[:-1].isdigit() and int(value[:-1]) <= 100)
            _require(ok, name, f"got {value!r}; expected a whole number >= 0 or a percentage such as '25%'")
        _require(not (self.max_unavailable in (0, "0%") and self.max_surge in (0, "0%")), "max_surge",
                 "max_surge and max_unavailable cannot both be zero: the rollout could never progress")
        _int_in(self.progress_deadline_seconds, "progress_deadline_seconds", 1)


App = Service  # the name the first specs used; same class


for _cls in (Port, FromConfigMap, FromSecret, Resources, Probe, Volume, Ingress, Metric, Autoscaling):
    wrap_part_init(_cls)
