"""What every workload kind shares (`Workload`): image, environment, resources, volumes, placement,
per-environment overrides, and its validation. The kinds themselves are in `kinds/`, one module each.

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
from .parts.base import _Invalid, _int_in, _is_int, _require, _string_map, caller_location, check_keywords, did_you_mean
from .parts.env import FromConfigMap
from .parts.identity import CloudIdentity
from .parts.patch import POD, extra_objects, metadata_for, patches
from .parts.port import Port
from .parts.probe import Probe
from .parts.resources import Resources
from .parts.scheduling import Scheduling
from .parts.volume import Volume
from .secrets import looks_like_secret
from .values import (ENV_VAR_NAME, Image, check_dns_label, check_dns_subdomain, check_label_key, check_label_value,
                     normalize_memory, parse_image)

# Fields whose per-environment override merges into the base value instead of replacing it.
_MERGED_MAPPINGS = ("env", "config", "labels", "annotations")
# ... and those merged one level deeper: per object kind (or "pod"), per key.
_NESTED_MAPPINGS = ("labels_for", "annotations_for")
# Linux capabilities the restricted Pod Security level allows a container to add; others lower the
# namespace's level (synth/kinds/base.py: pod_security_level).
RESTRICTED_CAPABILITIES = ("NET_BIND_SERVICE",)
_CAPABILITY = r"^[A-Z][A-Z_]{1,30}$"
_FS_GROUP_CHANGE = ("OnRootMismatch", "Always")
_NOT_OVERRIDABLE = ("name", "environments")


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

    Attributes:
        name: the app's name: a DNS-1123 label of 40 characters at most (so `<app>-<env>` fits a namespace);
            names every object and the `app.kubernetes.io/name` label.
        image: the container image with a tag or a digest (`ghcr.io/acme/api:2.4.1`, `...@sha256:...`); the tag
            (else a short digest) is the `app.kubernetes.io/version` label of the workload and its pods.
        env: environment variables: name -> a value (str, int, float, bool), `FromSecret(...)` or
            `FromConfigMap(...)`. A name that says it holds a credential must use FromSecret.
        config: a ConfigMap the app owns, loaded with envFrom; a change rolls the pods (its hash is on the pod
            template).
        resources: `Resources(...)`: requests and limits (none: the namespace's defaults; policies ask for
            them).
        command: the container's entrypoint (`command` in Kubernetes); default: the image's.
        args: arguments to the entrypoint (`args`); default: the image's.
        volumes: `Volume.*(...)` mounts: claims, ConfigMaps, Secrets, emptyDirs, NFS shares.
        scheduling: `Scheduling(...)`: node selection, affinity, spread, tolerations, priority class.
        labels: extra labels on every object the app makes (merged per environment; `None` removes one).
        annotations: extra annotations on the workload object (merged per environment).
        namespace: the app's namespace; default: the `namespace` pattern of gitops.yaml (`{app}-{env}`).
        component: the `app.kubernetes.io/component` label; each kind has its own default.
        part_of: the `app.kubernetes.io/part-of` label (the larger system this app belongs to); default: the
            app's name.
        service_account: True: the app gets its own ServiceAccount; a name: an existing ServiceAccount gitops
            does not make; False: the namespace's `default` one.
        mount_service_account_token: mount the ServiceAccount token into the pods; only for apps that call the
            Kubernetes API.
        run_as_user: the numeric user the containers run as (non-root; 10001 stays clear of the host's users).
        depends_on: names of apps this one needs first: in each environment they sync in an earlier Argo CD
            wave (docs/delivery.md).
        environments: per-environment overrides, `{"prod": {"replicas": 3}}`: mappings merge, parts given as
            mappings merge field by field, the rest is replaced (docs/specs.md).
        identity: `CloudIdentity(...)`: the cloud accounts the pods act as, bound on the ServiceAccount as the
            cluster profile says (GKE Workload Identity, EKS Pod Identity or IRSA).
        cluster: a cluster profile for this app instead of the environment's (gitops.yaml `clusters:`), e.g.
            the GPU pool it must run on (docs/specs.md, Placement per app).
        enabled: False skips the environment (usually set per environment): no folder, no Argo CD or Flux
            object there.
        termination_grace_seconds: `terminationGracePeriodSeconds` (must exceed a `pre_stop` sleep); default:
            Kubernetes' 30 s, or the kind's own.
        pre_stop: a `preStop` hook: a sleep of that many seconds, or a command (a list of strings).
        capabilities: Linux capabilities added to the container (`IPC_LOCK` for RDMA and EFA); all others stay
            dropped, and the Namespace's Pod Security level becomes the strictest that admits them.
        tmp_size: the size of the writable `/tmp` (a disk-backed emptyDir, counted in the ephemeral-storage
            request).
        fs_group_change_policy: `OnRootMismatch` skips the recursive ownership change of large volumes at each
            start (`fsGroupChangePolicy`).
        patches: `Patch.*(...)`: JSON Patch operations on the generated objects, applied after the builder and
            the extra objects (docs/specs.md, Escape hatches); per environment they replace the base list.
        extra_objects: whole objects to add, plain dicts or typed cdk8s objects; namespaced and labelled like
            the app's own, and checked like them.
        labels_for: extra labels per target: `pod` (the pod template) or a kind (`ServiceAccount`,
            `HorizontalPodAutoscaler`, ...); merged per environment, per target.
        annotations_for: extra annotations per target, as `labels_for`.
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
    service_account: bool | str = True
    mount_service_account_token: bool = False
    identity: CloudIdentity | None = None
    cluster: str | None = None
    enabled: bool = True
    termination_grace_seconds: int | None = None
    pre_stop: int | tuple[str, ...] | None = None
    capabilities: tuple[str, ...] = ()
    tmp_size: str = "256Mi"
    fs_group_change_policy: str | None = None
    patches: tuple[Any, ...] = ()
    extra_objects: tuple[Mapping[str, Any], ...] = ()
    labels_for: Mapping[str, Mapping[str, str]] = field(default_factory=FrozenDict)
    annotations_for: Mapping[str, Mapping[str, str]] = field(default_factory=FrozenDict)
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
        _require(isinstance(self.mount_service_account_token, bool), "mount_service_account_token",
                 f"got {self.mount_service_account_token!r}; expected True or False")
        self._validate_identity()
        self._validate_pod_fields()
        self._validate_hatches()
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
                         f"unknown field {key!r};{did_you_mean(key, allowed)} overridable fields are: "
                         f"{', '.join(allowed)}")
            envs[env] = FrozenDict(overrides)
        object.__setattr__(self, "environments", FrozenDict(envs))

    def _validate_identity(self) -> None:
        account = self.service_account
        if isinstance(account, str):
            problem = check_dns_subdomain(account)
            _require(problem is None, "service_account", f"{problem} (the name of an existing ServiceAccount)")
            _require(self.identity is None, "identity",
                     f"the cloud-identity annotations belong on the existing ServiceAccount {account!r}, which gitops "
                     "does not make; annotate it where it is defined, or drop service_account to get the app's own")
        else:
            _require(isinstance(account, bool), "service_account",
                     f"got {account!r}; expected True, False or the name of an existing ServiceAccount")
            _require(account or self.identity is None, "identity",
                     "a cloud identity needs a ServiceAccount; set service_account=True")
        _require(self.identity is None or isinstance(self.identity, CloudIdentity), "identity",
                 f"got {self.identity!r}; expected CloudIdentity(gcp_service_account=..., aws_role_arn=...)")
        if self.cluster is not None:
            problem = check_dns_label(self.cluster)
            _require(problem is None, "cluster", f"{problem} (a cluster profile name)")
        _require(isinstance(self.enabled, bool), "enabled", f"got {self.enabled!r}; expected True or False")

    def _validate_pod_fields(self) -> None:
        if self.termination_grace_seconds is not None:
            _int_in(self.termination_grace_seconds, "termination_grace_seconds", 0, 86400)
        stop = self.pre_stop
        if isinstance(stop, (list, tuple)):
            _require(bool(stop) and all(isinstance(c, str) and c for c in stop), "pre_stop",
                     f"got {stop!r}; expected a command (a list of strings) or the seconds to sleep")
            object.__setattr__(self, "pre_stop", tuple(stop))
        elif stop is not None:
            _int_in(stop, "pre_stop", 1, 3600)
            grace = self.termination_grace_seconds
            _require(grace is None or grace > stop, "termination_grace_seconds",
                     f"got {grace}; it must exceed the pre_stop sleep ({stop} s), or the kubelet kills the "
                     "container before it is asked to stop")
        caps = self.capabilities
        _require(isinstance(caps, (list, tuple)) and all(isinstance(c, str) and re.match(_CAPABILITY, c) for c in caps),
                 "capabilities", f"got {caps!r}; expected Linux capability names such as IPC_LOCK (without CAP_)")
        _require(not any(c.startswith("CAP_") for c in caps), "capabilities",
                 f"got {list(caps)!r}; expected Linux capability names such as IPC_LOCK (without CAP_)")
        _require("ALL" not in caps and "SYS_ADMIN" not in caps, "capabilities",
                 "ALL and SYS_ADMIN amount to a privileged container; gitops does not make those")
        object.__setattr__(self, "capabilities", tuple(sorted(set(caps))))
        try:
            object.__setattr__(self, "tmp_size", normalize_memory(self.tmp_size))
        except ValueError as exc:
            raise _Invalid("tmp_size", str(exc)) from None
        _require(self.fs_group_change_policy is None or self.fs_group_change_policy in _FS_GROUP_CHANGE,
                 "fs_group_change_policy", f"got {self.fs_group_change_policy!r}; expected OnRootMismatch, Always "
                 "or None (the cluster's default, Always)")

    def _validate_hatches(self) -> None:
        object.__setattr__(self, "patches", patches(self.patches))
        object.__setattr__(self, "extra_objects", extra_objects(self.extra_objects))
        object.__setattr__(self, "labels_for", metadata_for(self.labels_for, "labels_for", labels=True))
        object.__setattr__(self, "annotations_for", metadata_for(self.annotations_for, "annotations_for", labels=False))
        reserved = {"app.kubernetes.io/name", "app.kubernetes.io/instance"} & set(self.labels_for.get(POD, {}))
        _require(not reserved, "labels_for['pod']",
                 f"{', '.join(sorted(reserved))} selects the app's pods and is set by gitops; changing it would "
                 "orphan them")

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
            if key in _NESTED_MAPPINGS and isinstance(value, Mapping):
                nested = dict(base)
                for target, entries in value.items():
                    if entries is None:
                        nested.pop(target, None)
                    elif isinstance(entries, Mapping):
                        both = {**base.get(target, {}), **entries}
                        nested[target] = {k: v for k, v in both.items() if v is not None}
                    else:
                        nested[target] = entries  # refused by validation, at this line
                changes[key] = nested
            elif key in _MERGED_MAPPINGS and isinstance(value, Mapping):
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
        except SpecError as exc:
            raise SpecError(exc.bare_message, file=self.where[0], line=self.where[1], app=self.name,
                            field=f"environments[{env!r}].{exc.field}") from None



check_keywords(Workload, names_app=True)
