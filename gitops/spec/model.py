"""The declarative model users write in `apps/*.py`.

Every class is a frozen, keyword-only dataclass validated on construction: a mistake raises
SpecError naming the spec file and line, the app, the field, the bad value and what is allowed.
Platform defaults are declared once, next to their field, with the reason.
"""
from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..errors import SpecError
from .frozen import FrozenDict
from .values import (ENV_VAR_NAME, Image, check_dns_label, check_dns_subdomain, check_label_key,
                     check_label_value, normalize_cpu, normalize_memory, parse_image, parse_quantity)

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _Invalid(Exception):
    """Raised inside validation; turned into a SpecError that knows the app and location."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name, self.message = field_name, message


def caller_location() -> tuple[str, int]:
    """File and line of the first frame outside this package: the line in the user's spec."""
    frame = sys._getframe(1)
    while frame is not None:
        raw = frame.f_code.co_filename
        filename = os.path.abspath(raw)
        if not filename.startswith(_PACKAGE_DIR + os.sep) and "dataclasses" not in os.path.basename(filename) \
                and not raw.startswith("<"):
            return frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


def _require(cond: bool, field_name: str, message: str) -> None:
    if not cond:
        raise _Invalid(field_name, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_in(value: Any, field_name: str, low: int, high: int | None = None) -> None:
    allowed = f"an integer >= {low}" if high is None else f"an integer from {low} to {high}"
    _require(_is_int(value) and value >= low and (high is None or value <= high), field_name,
             f"got {value!r}; expected {allowed}")


def _part_error(part: object, exc: _Invalid, prefix: str) -> _Invalid:
    return _Invalid(f"{prefix}.{exc.field_name}" if exc.field_name else prefix, exc.message)


class _Part:
    """Base of the small value classes: validation raises _Invalid; App adds app and location."""

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:  # pragma: no cover - overridden
        pass


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
    """An env var read from a key of an existing Secret (secrets are referenced, never written)."""


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

@dataclass(frozen=True, kw_only=True)
class Volume(_Part):
    """A volume mounted into the container. Build one with the class methods."""

    name: str
    mount_path: str
    source: str
    ref: str | None = None
    read_only: bool = False
    size_limit: str | None = None
    medium: str | None = None
    sub_path: str | None = None

    SOURCES = ("config_map", "secret", "empty_dir", "pvc")

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

    def _validate(self) -> None:
        problem = check_dns_label(self.name)
        _require(problem is None, "name", str(problem))
        _require(isinstance(self.mount_path, str) and self.mount_path.startswith("/") and ":" not in self.mount_path,
                 "mount_path", f"got {self.mount_path!r}; expected an absolute path without ':'")
        _require(self.source in self.SOURCES, "source", f"got {self.source!r}; expected one of {', '.join(self.SOURCES)}")
        if self.ref is not None:
            problem = check_dns_subdomain(self.ref)
            _require(problem is None, "ref", str(problem))
        if self.size_limit is not None:
            try:
                object.__setattr__(self, "size_limit", normalize_memory(self.size_limit))
            except ValueError as exc:
                raise _Invalid("size_limit", str(exc)) from None


# --- exposure and scaling -------------------------------------------------------------------------

SERVICE_TYPES = ("ClusterIP", "Headless", "LoadBalancer")


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


@dataclass(frozen=True, kw_only=True)
class Autoscaling(_Part):
    """A HorizontalPodAutoscaler. At least one target; utilisation is a percent of the request."""

    min_replicas: int
    max_replicas: int
    cpu_percent: int | None = 70
    memory_percent: int | None = None

    def _validate(self) -> None:
        _int_in(self.min_replicas, "min_replicas", 1)
        _int_in(self.max_replicas, "max_replicas", 1)
        _require(self.max_replicas >= self.min_replicas, "max_replicas",
                 f"got {self.max_replicas}; must be at least min_replicas ({self.min_replicas})")
        for name in ("cpu_percent", "memory_percent"):
            if getattr(self, name) is not None:
                _int_in(getattr(self, name), name, 1, 1000)
        _require(self.cpu_percent is not None or self.memory_percent is not None, "cpu_percent",
                 "set cpu_percent or memory_percent: an autoscaler needs a target")


def _string_map(value: Any, field_name: str, key_check=None, value_check=None) -> FrozenDict:
    _require(isinstance(value, Mapping), field_name, f"got {value!r}; expected a mapping of strings")
    for k, v in value.items():
        _require(isinstance(k, str), field_name, f"key {k!r} must be a string")
        _require(isinstance(v, str), f"{field_name}[{k!r}]", f"got {v!r}; expected a string (quote numbers)")
        if key_check and (problem := key_check(k)):
            raise _Invalid(field_name, problem)
        if value_check and (problem := value_check(v)):
            raise _Invalid(f"{field_name}[{k!r}]", problem)
    return FrozenDict(value)


# --- the app ------------------------------------------------------------------------------------

# Fields whose per-environment override merges into the base value instead of replacing it.
_MERGED_MAPPINGS = ("env", "config", "labels", "annotations")
_NOT_OVERRIDABLE = ("name", "environments")


@dataclass(frozen=True, kw_only=True)
class App:
    """A long-running containerised application: a Deployment with its Service and friends.

    Defaults, each with its reason:
    - replicas=1: the smallest footprint; ask for more per environment (prod) or autoscale.
    - service: "ClusterIP" when the app has ports, so other apps reach it by name.
    - max_unavailable=0, max_surge="25%": a rollout never drops below the wanted capacity.
    - progress_deadline_seconds=600: Kubernetes' own default, written out so reviewers see it; it is
      raised automatically to cover a slow startup probe.
    - service_account=True: each app gets its own identity; the token is not mounted unless
      `mount_service_account_token=True`, because most apps never call the Kubernetes API.
    - non-root, read-only root filesystem, no privilege escalation, all capabilities dropped,
      RuntimeDefault seccomp: the restricted Pod Security Standard. A writable /tmp is mounted
      (emptyDir) because most runtimes need one.
    """

    name: str
    image: str
    ports: tuple[Port, ...] = ()
    replicas: int = 1
    env: Mapping[str, Any] = field(default_factory=FrozenDict)
    config: Mapping[str, str] = field(default_factory=FrozenDict)
    resources: Resources | None = None
    readiness: Probe | None = None
    liveness: Probe | None = None
    startup: Probe | None = None
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    volumes: tuple[Volume, ...] = ()
    service: str | None = "ClusterIP"
    ingress: Ingress | None = None
    autoscaling: Autoscaling | None = None
    labels: Mapping[str, str] = field(default_factory=FrozenDict)
    annotations: Mapping[str, str] = field(default_factory=FrozenDict)
    namespace: str | None = None
    component: str = "server"
    part_of: str | None = None
    max_unavailable: int | str = 0
    max_surge: int | str = "25%"
    progress_deadline_seconds: int = 600
    service_account: bool = True
    mount_service_account_token: bool = False
    run_as_user: int = 10001
    depends_on: tuple[str, ...] = ()
    environments: Mapping[str, Mapping[str, Any]] = field(default_factory=FrozenDict)
    source: tuple[str, int] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.source is None:
            object.__setattr__(self, "source", caller_location())
        try:
            self._validate()
        except _Invalid as exc:
            raise SpecError(exc.message, file=self.source[0], line=self.source[1],
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
        self._parts("ports", Port, allow_int=True)
        names = [p.name for p in self.ports]
        _require(len(set(names)) == len(names), "ports", f"port names must be unique, got {names}")
        numbers = [p.port for p in self.ports]
        _require(len(set(numbers)) == len(numbers), "ports", f"port numbers must be unique, got {numbers}")
        _int_in(self.replicas, "replicas", 0)
        object.__setattr__(self, "env", self._env(self.env))
        object.__setattr__(self, "config", _string_map(self.config, "config",
                                                       key_check=lambda k: None if ENV_VAR_NAME.match(k) and len(k) <= 253 else f"config key {k!r} is not a valid ConfigMap key"))
        for name, cls in (("resources", Resources), ("readiness", Probe), ("liveness", Probe),
                          ("startup", Probe), ("ingress", Ingress), ("autoscaling", Autoscaling)):
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
        _require(self.service in SERVICE_TYPES or self.service is None, "service",
                 f"got {self.service!r}; expected one of {', '.join(SERVICE_TYPES)} or None")
        _require(self.service is None or bool(self.ports), "service",
                 f"got {self.service!r} but the app has no ports; declare ports or set service=None")
        _require(self.ingress is None or (self.service is not None and self.service != "Headless"), "ingress",
                 "an ingress needs a ClusterIP or LoadBalancer service")
        if self.ingress is not None and self.ingress.port is not None:
            _require(self.ingress.port in names, "ingress.port", f"got {self.ingress.port!r}; expected one of {names}")
        for probe_name in ("readiness", "liveness", "startup"):
            probe = getattr(self, probe_name)
            if probe is not None and isinstance(probe.port, str):
                _require(probe.port in names, f"{probe_name}.port",
                         f"got {probe.port!r}; expected the name of a declared port ({', '.join(names) or 'none declared'})")
        object.__setattr__(self, "labels", _string_map(self.labels, "labels", check_label_key, check_label_value))
        object.__setattr__(self, "annotations", _string_map(self.annotations, "annotations", check_label_key))
        if self.namespace is not None:
            problem = check_dns_label(self.namespace)
            _require(problem is None, "namespace", str(problem))
        for name in ("component",) + (("part_of",) if self.part_of is not None else ()):
            problem = check_label_value(getattr(self, name))
            _require(problem is None and getattr(self, name) != "", name, str(problem or "must not be empty"))
        for name in ("max_unavailable", "max_surge"):
            value = getattr(self, name)
            ok = (_is_int(value) and value >= 0) or (isinstance(value, str) and value.endswith("%")
                                                     and value[:-1].isdigit() and int(value[:-1]) <= 100)
            _require(ok, name, f"got {value!r}; expected a whole number >= 0 or a percentage such as '25%'")
        _require(not (self.max_unavailable in (0, "0%") and self.max_surge in (0, "0%")), "max_surge",
                 "max_surge and max_unavailable cannot both be zero: the rollout could never progress")
        _int_in(self.progress_deadline_seconds, "progress_deadline_seconds", 1)
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

    def _parts(self, name: str, cls: type, allow_int: bool = False) -> None:
        value = getattr(self, name)
        _require(isinstance(value, (list, tuple)), name, f"got {value!r}; expected a list of {cls.__name__}")
        items = []
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
            out[k] = v
        return FrozenDict(out)

    # -- derived --
    @property
    def image_ref(self) -> Image:
        return parse_image(self.image)

    @property
    def version(self) -> str:
        """The `app.kubernetes.io/version` label: the image tag, else a short digest."""
        image = self.image_ref
        raw = image.tag or (image.digest or "").split(":")[-1][:12]
        return raw[:63].strip("-_.") or "unknown"

    def for_environment(self, env: str) -> "App":
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
            raise SpecError(f"in environment {env!r}: {exc}", file=self.source[0], line=self.source[1],
                            app=self.name, field="environments") from None
        except SpecError as exc:
            raise SpecError(exc.bare_message, file=self.source[0], line=self.source[1], app=self.name,
                            field=f"environments[{env!r}].{exc.field}") from None


def _wrap_part_init(cls: type) -> None:
    """Make a part's validation error name the part, so App can prefix the field path."""
    original = cls.__post_init__

    def __post_init__(self) -> None:
        try:
            original(self)
        except _Invalid as exc:
            location = caller_location()
            raise SpecError(exc.message, file=location[0], line=location[1],
                            field=f"{cls.__name__}.{exc.field_name}") from None

    cls.__post_init__ = __post_init__


for _cls in (Port, FromConfigMap, FromSecret, Resources, Probe, Volume, Ingress, Autoscaling):
    _wrap_part_init(_cls)
