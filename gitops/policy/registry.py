"""The rule registry: every rule module listed explicitly, plus the data rules in `data/`.

Rules come in two shapes that end up as the same `Rule` value:
- code: an object with the names of the contract in `api.py` (a module, or a class in a family
  module listed in that module's `RULES`);
- data: a YAML file in `gitops/policy/data/` with a JSON Schema that every container, pod spec or
  object it targets must satisfy, run by one generic check (`_data_check`).

Registering two rules with one id is refused: ids are what configuration and waivers name.
"""
from __future__ import annotations

import functools
import importlib.resources
import inspect
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator

import jsonschema_rs
import yaml

from ..findings import SEVERITIES, Finding
from ..manifests.resource import Resource
from .api import WORKLOAD_KINDS, Context, containers, is_windows, pod_spec

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_EXAMPLE = re.compile(r"^(Fails|Passes)\b[^\n]*:\s*\n+```yaml\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    severity: str
    options: dict[str, Any]
    scope: str  # "resource" or "set"
    check: Callable[..., Iterable[Finding]]
    doc: str
    family: str
    example_context: dict[str, Any] = field(default_factory=dict)  # production/options for the doc examples
    kinds: tuple[str, ...] = ()  # the kinds a resource rule looks at; empty: every object

    def examples(self) -> dict[str, str]:
        """The docstring's YAML examples: {"Fails": text, "Passes": text}."""
        return {m.group(1): m.group(2) for m in _EXAMPLE.finditer(self.doc)}


def from_object(obj: Any, family: str | None = None) -> Rule:
    """A Rule from anything carrying the contract's names (a module or a class)."""
    missing = [n for n in ("ID", "DESCRIPTION", "check") if not hasattr(obj, n)]
    if missing:
        raise ValueError(f"{obj!r} is not a rule: it lacks {', '.join(missing)}")
    rule_id = obj.ID
    severity = getattr(obj, "SEVERITY", "error")
    scope = getattr(obj, "SCOPE", "resource")
    if not _ID.match(rule_id) or severity not in SEVERITIES or scope not in ("resource", "set"):
        raise ValueError(f"rule {rule_id!r}: bad ID, SEVERITY or SCOPE")
    if family is None:
        module = obj if isinstance(obj, ModuleType) else inspect.getmodule(obj)
        family = (module.__name__ if module else "").rpartition(".")[2]
    return Rule(rule_id, obj.DESCRIPTION, severity, dict(getattr(obj, "OPTIONS", {})), scope, obj.check,
                inspect.cleandoc(obj.__doc__ or ""), family.replace("_", "-"),
                dict(getattr(obj, "EXAMPLE_CONTEXT", {})), tuple(getattr(obj, "KINDS", ())))


def rules_of(module: ModuleType) -> list[Rule]:
    """A module is one rule (module-level ID) or a family (RULES: a list of rule objects)."""
    family = module.__name__.rpartition(".")[2]
    if hasattr(module, "ID"):
        return [from_object(module, family)]
    return [from_object(obj, family) for obj in module.RULES]


def build(modules: Iterable[ModuleType], data_rules: Iterable[Rule] = ()) -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for rule in [r for m in modules for r in rules_of(m)] + list(data_rules):
        if rule.id in registry:
            raise ValueError(f"rule id {rule.id!r} is registered twice ({registry[rule.id].family} and {rule.family})")
        registry[rule.id] = rule
    return dict(sorted(registry.items()))


# ---- data rules -------------------------------------------------------------------------------

_DATA_KEYS = {"id", "family", "description", "severity", "target", "kinds", "message", "hint", "schema", "doc",
              "linux_only"}


def data_rule(spec: dict[str, Any], source: str) -> Rule:
    unknown = set(spec) - _DATA_KEYS
    missing = {"id", "description", "target", "message", "schema", "doc"} - set(spec)
    if unknown or missing or spec["target"] not in ("container", "pod", "object"):
        raise ValueError(f"{source}: bad data rule (unknown {sorted(unknown)}, missing {sorted(missing)})")
    validator = jsonschema_rs.validator_for(spec["schema"])
    check = functools.partial(_data_check, spec["id"], spec["target"], tuple(spec.get("kinds") or ()),
                              validator, spec["message"], spec.get("hint", ""), bool(spec.get("linux_only")))
    kinds = tuple(spec.get("kinds") or ()) or (WORKLOAD_KINDS if spec["target"] != "object" else ())
    return Rule(spec["id"], spec["description"], spec.get("severity", "error"), {}, "resource", check,
                inspect.cleandoc(spec["doc"]), spec.get("family", "security"), {}, kinds)


def _data_check(rule_id: str, target: str, kinds: tuple[str, ...], validator: Any, message: str, hint: str,
                linux_only: bool, res: Resource, ctx: Context) -> Iterator[Finding]:
    """The one generic rule behind every data rule: validate each target, report the ones that fail.
    `linux_only` rules skip Windows pods, where the API forbids the fields they require."""
    if linux_only and is_windows(res):
        return
    if target == "container":
        items: Iterable[tuple[Any, str, str]] = ((c, p, c.get("name", "?")) for c, p in containers(res))
    elif target == "pod":
        spec, path = pod_spec(res)
        items = [(spec, path, res.name)] if spec is not None and (not kinds or res.kind in kinds) else []
    else:
        items = [(res.obj, "", res.name)] if not kinds or res.kind in kinds else []
    for obj, path, name in items:
        if not validator.is_valid(obj):
            yield Finding.about(res, rule_id, ctx.severity, message.format(name=name), path=path, hint=hint)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


def load_data_rules(package: str = "gitops.policy.data") -> list[Rule]:
    out = []
    for entry in sorted(importlib.resources.files(package).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            out.append(data_rule(yaml.load(entry.read_text(encoding="utf-8"), Loader=_LOADER), f"{package}/{entry.name}"))
    return out


@functools.cache
def all_rules() -> dict[str, Rule]:
    """Every built-in rule by id, sorted by id."""
    from .rules import MODULES
    return build(MODULES, load_data_rules())
