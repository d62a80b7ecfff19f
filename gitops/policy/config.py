"""The policy set in force: `policies/policy.yaml`, the presets it extends, and per-environment overrides.

    extends: recommended            # a preset shipped in gitops/policy/presets/ (default: recommended)
    rules:                          # per rule: false | true | error|warning|info | {enabled, severity, options}
      required-labels: {options: {labels: [team]}}
    production:                     # applies to every environment marked `production: true`
      rules: {image-digest: error}
    environments:                   # per environment named in gitops.yaml, applied last
      dev: {rules: {pod-spread: warning}}
    waivers: {annotations: true, file: true}   # the two waiver channels, each can be switched off

Layers apply in order: rule defaults, then for each file (the preset first) its `rules`, then its
`production` block (production environments only), then its block for the environment at hand.
Unknown rule ids, options, environments or keys are input errors naming the file and line.
"""
from __future__ import annotations

import importlib.resources
import os
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..errors import InputError
from ..findings import SEVERITIES
from ..yamlio import line_of, load_located, read_located
from .api import quantity
from .registry import OPTION_KINDS, Rule, all_rules

POLICY_FILE = "policy.yaml"
WAIVERS_FILE = "waivers.yaml"
DEFAULT_PRESET = "recommended"
_TOP_KEYS = ("extends", "rules", "production", "environments", "waivers")


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool
    severity: str
    options: dict[str, Any]


@dataclass(frozen=True)
class Layer:
    """Partial settings from one block of one file: rule id -> {enabled?, severity?, options?}."""

    rules: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicyFile:
    name: str
    base: Layer = field(default_factory=Layer)
    production: Layer = field(default_factory=Layer)
    environments: dict[str, Layer] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicyConfig:
    files: tuple[PolicyFile, ...] = ()  # preset chain first, the project's file last
    rules: dict[str, Rule] = field(default_factory=dict)
    annotation_waivers: bool = True
    file_waivers: bool = True
    waivers: tuple = ()  # gitops.policy.waivers.Waiver, from policies/waivers.yaml
    kubernetes_version: str = "1.33"

    def _layers(self, env: str | None, production: bool) -> list[Layer]:
        layers = [f.base for f in self.files]
        if production:
            layers += [f.production for f in self.files]
        if env:
            layers += [f.environments[env] for f in self.files if env in f.environments]
        return layers

    def override(self, rule_id: str, env: str | None = None, production: bool = False) -> dict[str, Any]:
        """What the layers say about a finding id that is not a policy rule (a schema, API-server,
        manifest or sync id): {"enabled"?, "severity"?}, empty when nothing is configured."""
        out: dict[str, Any] = {}
        for layer in self._layers(env, production):
            out.update(layer.rules.get(rule_id) or {})
        return out

    def settings(self, env: str | None = None, production: bool = False) -> dict[str, RuleSetting]:
        """Each rule's enablement, severity and options in one environment."""
        layers = self._layers(env, production)
        out = {}
        for rule_id, rule in self.rules.items():
            enabled, severity, options = True, rule.severity, dict(rule.options)
            for layer in layers:
                part = layer.rules.get(rule_id)
                if part:
                    enabled = part.get("enabled", enabled)
                    severity = part.get("severity", severity)
                    options.update(part.get("options", {}))
            out[rule_id] = RuleSetting(enabled, severity, options)
        return out


def load(config: Config, rules: dict[str, Rule] | None = None) -> PolicyConfig:
    """The policy set of a project: its policies/ folder, or the default preset when there is none."""
    from .waivers import Limits, load_waivers

    rules = all_rules() if rules is None else rules
    folder = config.path(config.policies_dir)
    path = os.path.join(folder, POLICY_FILE)
    envs = config.env_names
    data: dict = {}
    rel = os.path.relpath(path)
    if os.path.isfile(path):
        data = _read(path, rel)
    files = _chain(data, rel, rules, envs, seen=())
    waiver_settings = data.get("waivers", {}) if isinstance(data, dict) else {}
    annotations, file_channel, max_days = _channels(waiver_settings, rel, data)
    waivers_path = os.path.join(folder, WAIVERS_FILE)
    waivers = load_waivers(waivers_path, rules, envs, Limits(max_days)) \
        if file_channel and os.path.isfile(waivers_path) else ()
    return PolicyConfig(tuple(files), rules, annotations, file_channel, tuple(waivers), config.kubernetes_version)


def from_text(text: str, rules: dict[str, Rule] | None = None, envs: tuple[str, ...] = ("dev", "prod"),
              name: str = "policies/policy.yaml", kubernetes_version: str = "1.33") -> PolicyConfig:
    """A policy set from the text of a policy.yaml (for tests and tools)."""
    rules = all_rules() if rules is None else rules
    data = load_located(text, name) or {}
    files = _chain(data, name, rules, envs, seen=())
    annotations, file_channel, _ = _channels(data.get("waivers", {}), name, data)
    return PolicyConfig(tuple(files), rules, annotations, file_channel, (), kubernetes_version)


def _read(path: str, rel: str) -> Any:
    return read_located(path, rel) or {}


def _preset(name: str, where: str, line: int | None) -> tuple[Any, str]:
    resource = importlib.resources.files("gitops.policy.presets") / f"{name}.yaml"
    if not isinstance(name, str) or not name.isidentifier() or not resource.is_file():
        known = sorted(p.name[:-5] for p in importlib.resources.files("gitops.policy.presets").iterdir()
                       if p.name.endswith(".yaml"))
        raise InputError(f"extends: unknown preset {name!r}; expected one of {', '.join(known)}", file=where, line=line)
    label = f"preset {name}"
    return load_located(resource.read_text(encoding="utf-8"), label) or {}, label


def _chain(data: Any, file: str, rules: dict[str, Rule], envs: tuple[str, ...], seen: tuple[str, ...]) -> list[PolicyFile]:
    if not isinstance(data, dict):
        raise InputError("expected a mapping with keys such as extends, rules, environments", file=file, line=1)
    for key in data:
        if key not in _TOP_KEYS:
            raise InputError(f"{key}: unknown key; expected one of {', '.join(_TOP_KEYS)}", file=file,
                             line=line_of(data, key))
    parents: list[PolicyFile] = []
    extends = data.get("extends", DEFAULT_PRESET if not seen else None)
    if extends is not None:
        if extends in seen:
            raise InputError(f"extends: preset {extends!r} extends itself", file=file, line=line_of(data, "extends"))
        preset, label = _preset(extends, file, line_of(data, "extends"))
        parents = _chain(preset, label, rules, envs, seen + (extends,))
    this = PolicyFile(
        name=file,
        base=_layer(data.get("rules"), file, data, "rules", rules),
        production=_block(data.get("production"), file, data, "production", rules),
        environments=_environments(data.get("environments"), file, data, rules, envs, preset=bool(seen)),
    )
    return parents + [this]


def _block(value: Any, file: str, parent: Any, key: str, rules: dict[str, Rule]) -> Layer:
    if value is None:
        return Layer()
    if not isinstance(value, dict) or set(value) - {"rules"}:
        raise InputError(f"{key}: expected a mapping with one key, rules", file=file, line=line_of(parent, key))
    return _layer(value.get("rules"), file, value, "rules", rules)


def _environments(value: Any, file: str, parent: Any, rules: dict[str, Rule], envs: tuple[str, ...],
                  preset: bool) -> dict[str, Layer]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError("environments: expected a mapping of environment name to {rules: ...}", file=file,
                         line=line_of(parent, "environments"))
    out = {}
    for name, block in value.items():
        if not preset and name not in envs:
            raise InputError(f"environments: unknown environment {name!r}; gitops.yaml declares "
                             f"{', '.join(envs)}", file=file, line=line_of(value, name))
        out[name] = _block(block, file, value, name, rules)
    return out


def _layer(value: Any, file: str, parent: Any, key: str, rules: dict[str, Rule]) -> Layer:
    if value is None:
        return Layer()
    if not isinstance(value, dict):
        raise InputError(f"{key}: expected a mapping of rule id to settings", file=file, line=line_of(parent, key))
    out = {}
    for rule_id, setting in value.items():
        line = line_of(value, rule_id)
        known: Any = rules.get(rule_id) or _other_id(rule_id)
        if known is None:
            raise InputError(f"unknown rule {rule_id!r} (see `gitops rules`)", file=file, line=line)
        out[rule_id] = _setting(known, setting, file, value, line)
    return Layer(out)


def _other_id(rule_id: Any) -> Any:
    """The catalog entry of a finding id that is not a policy rule (its severity may be configured
    too; it has no options), or None."""
    from ..catalog import catalog

    entries = catalog()
    return entries[rule_id] if isinstance(rule_id, str) and rule_id in entries else None


def _setting(rule: Rule, value: Any, file: str, parent: Any, line: int | None) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"enabled": value}
    if isinstance(value, str):
        if value not in SEVERITIES:
            raise InputError(f"{rule.id}: got {value!r}; expected true, false, a severity "
                             f"({', '.join(SEVERITIES)}) or a mapping", file=file, line=line)
        return {"enabled": True, "severity": value}
    if not isinstance(value, dict):
        raise InputError(f"{rule.id}: expected true, false, a severity or a mapping of enabled, severity, options",
                         file=file, line=line)
    out: dict[str, Any] = {}
    for key, item in value.items():
        where = line_of(value, key)
        if key == "enabled":
            if not isinstance(item, bool):
                raise InputError(f"{rule.id}: enabled: got {item!r}; expected true or false", file=file, line=where)
            out["enabled"] = item
        elif key == "severity":
            if item not in SEVERITIES:
                raise InputError(f"{rule.id}: severity: got {item!r}; expected one of {', '.join(SEVERITIES)}",
                                 file=file, line=where)
            out["severity"] = item
            out.setdefault("enabled", True)
        elif key == "options":
            out["options"] = _options(rule, item, file, value, where)
        else:
            raise InputError(f"{rule.id}: unknown key {key!r}; expected enabled, severity or options",
                             file=file, line=where)
    return out


def _options(rule: Rule, value: Any, file: str, parent: Any, line: int | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{rule.id}: options: expected a mapping", file=file, line=line)
    for name, item in value.items():
        where = line_of(value, name)
        if name not in rule.options:
            known = ", ".join(sorted(rule.options)) or "none"
            raise InputError(f"{rule.id}: unknown option {name!r}; options of this rule: {known}", file=file, line=where)
        default = rule.options[name]
        kind = rule.option_kinds.get(name)
        if kind == "quantity" and item is not None and quantity(item) is None:
            raise InputError(f"{rule.id}: option {name}: got {item!r}; expected {OPTION_KINDS[kind]}",
                             file=file, line=where)
        if default is not None and item is not None and not _same_type(default, item):
            raise InputError(f"{rule.id}: option {name}: got {item!r}; expected a {type(default).__name__} "
                             f"like the default {default!r}", file=file, line=where)
        if isinstance(default, list) and isinstance(item, list) and all(isinstance(d, str) for d in default) \
                and not all(isinstance(i, str) for i in item):
            raise InputError(f"{rule.id}: option {name}: got {item!r}; expected a list of strings (quote numbers)",
                             file=file, line=where)
    return {k: (list(v) if isinstance(v, list) else v) for k, v in value.items()}


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _channels(value: Any, file: str, parent: Any) -> tuple[bool, bool, int]:
    """The two waiver channels (each can be off) and how many days ahead an expiry may be."""
    from .waivers import DEFAULT_MAX_DAYS

    if value in (None, {}):
        return True, True, DEFAULT_MAX_DAYS
    if not isinstance(value, dict) or set(value) - {"annotations", "file", "maxDays"} or \
            not all(isinstance(value.get(k, True), bool) for k in ("annotations", "file")):
        raise InputError("waivers: expected {annotations: true|false, file: true|false, maxDays: N}", file=file,
                         line=line_of(parent, "waivers"))
    max_days = value.get("maxDays", DEFAULT_MAX_DAYS)
    if isinstance(max_days, bool) or not isinstance(max_days, int) or not 1 <= max_days <= 3660:
        raise InputError(f"waivers: maxDays: got {max_days!r}; expected a number of days from 1 to 3660",
                         file=file, line=line_of(value, "maxDays"))
    return value.get("annotations", True), value.get("file", True), max_days
