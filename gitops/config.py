"""Project settings from `gitops.yaml` at the project root.

Every key is optional; unknown keys and bad values are input errors naming the file and line.
Sections that other parts of the tool own are parsed by the functions listed in `SECTIONS` and
`ENV_SETTINGS` below: the one list of them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .delivery import settings as delivery_settings
from .errors import InputError
from .spec.values import check_dns_label
from .synth import cluster, kueue_config, secrets
from .yamlio import Located, line_of, read_located, written_as

CONFIG_FILE = "gitops.yaml"
DEFAULT_KUBERNETES_VERSION = "1.33"


@dataclass(frozen=True)
class Environment:
    name: str
    production: bool = False
    settings: dict = field(default_factory=dict)  # extra per-environment keys owned by other sections


@dataclass(frozen=True)
class Config:
    root: str
    file: str | None = None
    kubernetes_version: str = DEFAULT_KUBERNETES_VERSION
    environments: tuple[Environment, ...] = (Environment("dev"), Environment("prod", production=True))
    namespace: str = "{app}-{env}"
    apps_dir: str = "apps"
    generated_dir: str = "generated"
    policies_dir: str = "policies"
    schemas_dir: str = "schemas"
    cache_dir: str = ".gitops-cache"
    sections: dict = field(default_factory=dict)  # parsed extra sections, by key

    def path(self, relative: str) -> str:
        return os.path.normpath(os.path.join(self.root, relative))

    @property
    def env_names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.environments)

    def environment(self, name: str) -> Environment:
        for env in self.environments:
            if env.name == name:
                return env
        raise InputError(f"unknown environment {name!r}; declared: {', '.join(self.env_names)}",
                         file=self.file or "")

    def namespace_for(self, app: str, env: str, override: str | None = None) -> str:
        return override or self.namespace.format(app=app, env=env)


# The sections other parts own. Key in gitops.yaml -> parser(value, file, located parent) returning
# the parsed section, found in `Config.sections[key]`. A new section is one line here.
SECTIONS: dict[str, Callable[[Any, str, Any], Any]] = {
    "delivery": delivery_settings.parse_delivery,
    cluster.SECTION: cluster.parse_clusters,
    kueue_config.SECTION: kueue_config.parse_kueue,
}
# Per-environment key -> parser(value, file, located parent), found in `Environment.settings[key]`.
ENV_SETTINGS: dict[str, Callable[[Any, str, Any], Any]] = {
    "delivery": delivery_settings.parse_cluster,
    cluster.ENV_SETTING: cluster.parse_env_cluster,
    kueue_config.ENV_SETTING: kueue_config.parse_env_kueue,
    secrets.ENV_SETTING: secrets.parse_secret_store,
}
_VERSION = re.compile(r"^1\.[0-9]{2}$")
_PATH_KEYS = {"apps": "apps_dir", "generated": "generated_dir", "policies": "policies_dir",
              "schemas": "schemas_dir", "cache": "cache_dir"}
# The keys this module parses itself: key -> (default, meaning). docs/configuration.md is generated
# from this table and the sections' own docs (gitops/docs/reference.py); the parser accepts exactly
# these top-level keys besides SECTIONS.
KEYS: dict[str, tuple[str, str]] = {
    "kubernetesVersion": (f'"{DEFAULT_KUBERNETES_VERSION}"', "The Kubernetes minor version the manifests are "
                          "validated against (bundled schemas 1.25 to 1.37). Quote it: YAML reads 1.30 as 1.3."),
    "environments": ("`dev`, and `prod` with production: true", "The environments every app is synthesized "
                     "for: a list of names, or a mapping of name (a DNS label of 20 characters at most) to settings."),
    "environments.<env>.production": ("false", "A production environment: the policies' production severities "
                                      "and availability rules, and no automatic prune by Argo CD."),
    "namespace": ('"{app}-{env}"', "The namespace of each app in each environment, a pattern using only {app} "
                  "and {env}; a spec may set its own with `namespace=`."),
    "paths": ("", "Where the project's folders are, relative to gitops.yaml: the keys below."),
    "paths.apps": ("`apps`", "The spec files (`**/*.py`; files starting with `_` are helpers)."),
    "paths.generated": ("`generated`", "The manifests this tool writes and replaces; a folder of its own."),
    "paths.policies": ("`policies`", "policy.yaml and waivers.yaml (docs/policies.md)."),
    "paths.schemas": ("`schemas`", "Imported CRD schemas (`gitops schemas import`, docs/validation.md)."),
    "paths.cache": ("`.gitops-cache`", "The caches (git-ignored; `--no-cache` bypasses them)."),
}


def find_root(start: str = ".") -> str:
    """The nearest folder at or above `start` holding gitops.yaml, else `start` itself."""
    here = os.path.abspath(start)
    probe = here
    while True:
        if os.path.isfile(os.path.join(probe, CONFIG_FILE)):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return here
        probe = parent


def load(root: str | None = None) -> Config:
    if root is not None and not os.path.isdir(root):
        raise InputError(f"project folder {root!r} does not exist (or is not a folder)")
    root = os.path.abspath(root or find_root())
    path = os.path.join(root, CONFIG_FILE)
    if os.path.exists(path) and not os.path.isfile(path):
        raise InputError("is not a file", file=os.path.relpath(path))
    if not os.path.isfile(path):
        return Config(root=root)
    rel = os.path.relpath(path)
    data = read_located(path, rel)
    if data is None:
        return Config(root=root, file=rel)
    if not isinstance(data, Located):
        raise InputError("expected a mapping of settings at the top level", file=rel, line=1)
    return _parse(data, root, rel)


def _fail(file: str, data: Any, key: str, message: str) -> InputError:
    return InputError(f"{key}: {message}", file=file, line=line_of(data, key))


def _parse(data: Located, root: str, file: str) -> Config:
    kwargs: dict[str, Any] = {"root": root, "file": file}
    sections: dict[str, Any] = {}
    known = {key for key in KEYS if "." not in key} | set(SECTIONS)
    for key in data:
        if key not in known:
            raise _fail(file, data, key, f"unknown setting; expected one of {', '.join(sorted(known))}")
    if "kubernetesVersion" in data:
        version = str(data["kubernetesVersion"])
        written = written_as(data, "kubernetesVersion")
        if isinstance(data["kubernetesVersion"], float) and written and written != version:
            raise _fail(file, data, "kubernetesVersion", f"got {written} unquoted, which YAML reads as the number "
                        f"{version}; quote it: kubernetesVersion: \"{written}\"")
        supported = [f"1.{minor}" for minor in range(25, 38)]  # the bundled schemas (kubernetes-validate)
        if not _VERSION.match(version) or version not in supported:
            raise _fail(file, data, "kubernetesVersion", f"got {version!r}; expected one of the supported "
                        f"versions {supported[0]} to {supported[-1]}, such as \"1.33\"")
        kwargs["kubernetes_version"] = version
    if "environments" in data:
        kwargs["environments"] = _environments(data["environments"], file, data)
    if "namespace" in data:
        pattern = data["namespace"]
        try:
            sample = pattern.format(app="app", env="env") if isinstance(pattern, str) else None
        except (KeyError, IndexError, ValueError):
            sample = None
        if sample is None or check_dns_label(sample):
            raise _fail(file, data, "namespace", f"got {pattern!r}; expected a pattern such as "
                        "\"{app}-{env}\" using only {app} and {env}")
        kwargs["namespace"] = pattern
    if "paths" in data:
        paths = data["paths"]
        if not isinstance(paths, dict):
            raise _fail(file, data, "paths", "expected a mapping such as {apps: apps, generated: generated}")
        for key, value in paths.items():
            if key not in _PATH_KEYS:
                raise _fail(file, paths, key, f"unknown path; expected one of {', '.join(_PATH_KEYS)}")
            if not isinstance(value, str) or not value or os.path.isabs(value) or ".." in value.split("/"):
                raise _fail(file, paths, key, f"got {value!r}; expected a relative path inside the project")
            kwargs[_PATH_KEYS[key]] = os.path.normpath(value)
        _check_paths(kwargs, file, paths)
    for key, parser in SECTIONS.items():
        if key in data:
            sections[key] = parser(data[key], file, data)
    kwargs["sections"] = sections
    return Config(**kwargs)


def _check_paths(kwargs: dict, file: str, paths: Any) -> None:
    """generated/ and the cache are replaced or written wholesale by this tool: refuse any setting
    that would make them the project, git's folder, or overlap what the user owns."""
    chosen = {key: kwargs.get(attr, getattr(Config, attr)) for key, attr in _PATH_KEYS.items()}

    def inside(a: str, b: str) -> bool:
        return a == b or a.startswith(b + os.sep) or b.startswith(a + os.sep)

    for owned in ("generated", "cache"):
        path = chosen[owned]
        if path in (".", "") or path.split(os.sep)[0] == ".git":
            raise _fail(file, paths, owned, f"got {path!r}; the tool replaces this folder, so it must be a folder "
                        "of its own inside the project (not the project itself or .git)")
        for other, other_path in chosen.items():
            if other != owned and inside(path, other_path):
                raise _fail(file, paths, owned, f"got {path!r}, which overlaps {other}: {other_path!r}; "
                            "give each its own folder")


def _environments(value: Any, file: str, parent: Any) -> tuple[Environment, ...]:
    if isinstance(value, list):
        value = {name: {} for name in value} if all(isinstance(v, str) for v in value) else None
    if not isinstance(value, dict) or not value:
        raise _fail(file, parent, "environments", "expected a list of names or a mapping of name to settings")
    envs = []
    for name, settings in value.items():
        problem = check_dns_label(name, 20) if isinstance(name, str) else "must be a string"
        if problem:
            raise _fail(file, value, name, f"environment name: {problem}")
        settings = settings or {}
        if not isinstance(settings, dict):
            raise _fail(file, value, name, "expected a mapping of settings, e.g. {production: true}")
        production = settings.get("production", False)
        if not isinstance(production, bool):
            raise _fail(file, settings, "production", f"got {production!r}; expected true or false")
        extra = {}
        for key, setting in settings.items():
            if key == "production":
                continue
            if key not in ENV_SETTINGS:
                allowed = ", ".join(sorted({"production", *ENV_SETTINGS}))
                raise _fail(file, settings, key, f"unknown environment setting; expected one of {allowed}")
            extra[key] = ENV_SETTINGS[key](setting, file, settings)
        envs.append(Environment(name, production, extra))
    return tuple(envs)

