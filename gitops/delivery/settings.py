"""The `delivery` section of gitops.yaml and the per-environment `delivery` setting.

    delivery:
      target: both                  # argocd | flux | both
      repoURL: https://github.com/acme/gitops.git
      revision: main                # branch the controllers follow (Argo CD targetRevision, Flux ref.branch)
      path: ""                      # where the project sits inside the repository ("" = its root)
      applicationSet: false         # Argo CD: one ApplicationSet (git directory generator) per env instead
                                    # of one Application per app
      argocd: {namespace: argocd, project: "{env}", rootProject: default}
      flux: {namespace: flux-system, interval: 10m, secretRef: null}   # secretRef: repo credentials
    environments:
      prod:
        delivery:
          server: https://prod.example.com:6443   # or name: prod-cluster (a cluster registered in Argo CD)
          revision: release                       # overrides delivery.revision for this environment
          sync: automated                         # automated | manual
          prune: null                             # null: prune, except in production environments
          selfHeal: true                          # undo changes made on the cluster by hand

Every mistake is an InputError naming gitops.yaml, the line and the field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..spec.values import check_dns_label
from ..yamlio import line_of

if TYPE_CHECKING:
    from ..config import Config, Environment

TARGETS = ("argocd", "flux", "both")
IN_CLUSTER = "https://kubernetes.default.svc"
_URL = re.compile(r"^(https?|ssh)://[^\s]+$|^[\w.-]+@[\w.-]+:[^\s]+$")
_REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$")


@dataclass(frozen=True)
class ArgoCD:
    namespace: str = "argocd"
    project: str = "{env}"  # AppProject name per environment
    root_project: str = "default"  # project of the root app-of-apps (it writes into the Argo CD namespace)


@dataclass(frozen=True)
class Flux:
    namespace: str = "flux-system"
    interval: str = "10m"
    secret_ref: str | None = None  # Secret with the credentials of a private repository


@dataclass(frozen=True)
class Delivery:
    repo_url: str
    target: str = "argocd"
    revision: str = "main"
    path: str = ""
    application_set: bool = False
    argocd: ArgoCD = field(default_factory=ArgoCD)
    flux: Flux = field(default_factory=Flux)

    @property
    def argocd_enabled(self) -> bool:
        return self.target in ("argocd", "both")

    @property
    def flux_enabled(self) -> bool:
        return self.target in ("flux", "both")

    def repo_path(self, relative: str) -> str:
        """A project-relative path as the controllers see it inside the repository."""
        return f"{self.path}/{relative}" if self.path else relative


@dataclass(frozen=True)
class Cluster:
    """Where an environment's apps go. Argo CD takes a server URL or a registered cluster name."""

    server: str | None = IN_CLUSTER
    name: str | None = None
    revision: str | None = None  # overrides delivery.revision for this environment
    # Argo CD sync policy of the environment's Applications (docs/delivery.md): automated or manual
    # sync; prune (None: on, except in production environments, where a human confirms deletions);
    # self-heal (undo changes made on the cluster by hand).
    sync: str = "automated"
    prune: bool | None = None
    self_heal: bool = True


def _error(file: str, mapping: Any, key: str, prefix: str, message: str) -> InputError:
    return InputError(f"{prefix}{key}: {message}", file=file, line=line_of(mapping, key))


def _mapping(value: Any, file: str, parent: Any, key: str, prefix: str, allowed: tuple[str, ...]) -> dict:
    """`parent[key]` checked to be a mapping of known fields; `prefix` is the parent's dotted path."""
    if not isinstance(value, dict):
        raise _error(file, parent, key, prefix, f"got {value!r}; expected a mapping with {', '.join(allowed)}")
    for k in value:
        if k not in allowed:
            raise _error(file, value, k, f"{prefix}{key}.", f"unknown field; expected one of {', '.join(allowed)}")
    return value


def _string(mapping: dict, key: str, file: str, prefix: str, pattern: re.Pattern | None, expected: str) -> str:
    value = mapping[key]
    if not isinstance(value, str) or not value or (pattern is not None and not pattern.match(value)):
        raise _error(file, mapping, key, prefix, f"got {value!r}; expected {expected}")
    return value


def _label(mapping: dict, key: str, file: str, prefix: str) -> str:
    value = mapping[key]
    problem = check_dns_label(value) if isinstance(value, str) else "must be a string"
    if problem:
        raise _error(file, mapping, key, prefix, f"got {value!r}: {problem}")
    return value


def _argocd(parent: dict, file: str) -> ArgoCD:
    argo = _mapping(parent["argocd"], file, parent, "argocd", "delivery.", ("namespace", "project", "rootProject"))
    prefix = "delivery.argocd."
    args: dict[str, Any] = {}
    if "namespace" in argo:
        args["namespace"] = _label(argo, "namespace", file, prefix)
    if "project" in argo:
        pattern = argo["project"]
        sample = pattern.replace("{env}", "env") if isinstance(pattern, str) else None
        if sample is None or check_dns_label(sample) or "{" in sample or "{env}" not in pattern:
            # one AppProject per environment: a fixed name would make two root apps fight over it
            raise _error(file, argo, "project", prefix, f"got {pattern!r}; expected a name with {{env}} "
                         "such as \"{env}\" or \"team-{env}\" (each environment has its own AppProject)")
        args["project"] = pattern
    if "rootProject" in argo:
        args["root_project"] = _label(argo, "rootProject", file, prefix)
    return ArgoCD(**args)


def check_projects(delivery: "Delivery", env_names: tuple[str, ...], file: str, line: int | None) -> None:
    """The root app's project must not be one we generate: ours only allow the apps' namespaces."""
    for env in env_names:
        if delivery.argocd.project.replace("{env}", env) == delivery.argocd.root_project:
            raise InputError(f"delivery.argocd.rootProject: {delivery.argocd.root_project!r} is also the generated "
                             f"AppProject of environment {env!r}, which cannot allow the root app to write "
                             "Applications; use another project (default: default)", file=file, line=line)


def _flux(parent: dict, file: str) -> Flux:
    flux = _mapping(parent["flux"], file, parent, "flux", "delivery.", ("namespace", "interval", "secretRef"))
    prefix = "delivery.flux."
    args: dict[str, Any] = {}
    if "namespace" in flux:
        args["namespace"] = _label(flux, "namespace", file, prefix)
    if "interval" in flux:
        args["interval"] = _string(flux, "interval", file, prefix, _DURATION, "a duration such as 5m or 1h30m")
    if "secretRef" in flux:
        args["secret_ref"] = _label(flux, "secretRef", file, prefix)
    return Flux(**args)


def parse_delivery(value: Any, file: str, parent: Any) -> Delivery:
    value = _mapping(value, file, parent, "delivery", "",
                     ("target", "repoURL", "revision", "path", "applicationSet", "argocd", "flux"))
    if "repoURL" not in value:
        raise InputError("delivery.repoURL: missing; the URL of the git repository Argo CD or Flux reads, "
                         "e.g. https://github.com/acme/gitops.git", file=file, line=line_of(parent, "delivery"))
    kwargs: dict[str, Any] = {"repo_url": _string(value, "repoURL", file, "delivery.", _URL,
                                                  "an https://, ssh:// or git@host:path repository URL")}
    if "target" in value:
        target = value["target"]
        if target not in TARGETS:
            raise _error(file, value, "target", "delivery.", f"got {target!r}; expected one of {', '.join(TARGETS)}")
        kwargs["target"] = target
    if "revision" in value:
        kwargs["revision"] = _string(value, "revision", file, "delivery.", _REVISION, "a branch name such as main")
    if "path" in value:
        path = value["path"]
        if path != "":
            path = _string(value, "path", file, "delivery.", re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$"),
                           "a relative folder inside the repository, without '..'")
            if ".." in path.split("/"):
                raise _error(file, value, "path", "delivery.", f"got {path!r}; '..' is not allowed")
        kwargs["path"] = path
    if "applicationSet" in value:
        switch = value["applicationSet"]
        if not isinstance(switch, bool):
            raise _error(file, value, "applicationSet", "delivery.", f"got {switch!r}; expected true or false")
        kwargs["application_set"] = switch
    if "argocd" in value:
        kwargs["argocd"] = _argocd(value, file)
    if "flux" in value:
        kwargs["flux"] = _flux(value, file)
    return Delivery(**kwargs)


def parse_cluster(value: Any, file: str, parent: Any) -> Cluster:
    prefix = "delivery."
    value = _mapping(value, file, parent, "delivery", "", ("server", "name", "revision", "sync", "prune", "selfHeal"))
    if "server" in value and "name" in value:
        raise _error(file, value, "name", prefix, "set either server or name, not both (Argo CD takes one)")
    args: dict[str, Any] = {}
    if "server" in value:
        args["server"] = _string(value, "server", file, prefix, re.compile(r"^https://[^\s/]+(/[^\s]*)?$"),
                                 "the cluster's API server URL, https://...")
    if "name" in value:
        args["name"] = _label(value, "name", file, prefix)
        args["server"] = None
    if "revision" in value:
        args["revision"] = _string(value, "revision", file, prefix, _REVISION, "a branch name such as main")
    if "sync" in value:
        if value["sync"] not in ("automated", "manual"):
            raise _error(file, value, "sync", prefix, f"got {value['sync']!r}; expected automated or manual")
        args["sync"] = value["sync"]
    for key, attr in (("prune", "prune"), ("selfHeal", "self_heal")):
        if key in value:
            if not isinstance(value[key], bool):
                raise _error(file, value, key, prefix, f"got {value[key]!r}; expected true or false")
            args[attr] = value[key]
    return Cluster(**args)


def delivery_of(config: Config) -> Delivery | None:
    return config.sections.get("delivery")


def cluster_of(env: Environment) -> Cluster:
    return env.settings.get("delivery") or Cluster()
