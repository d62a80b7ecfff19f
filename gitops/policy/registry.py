"""The rule registry: every rule module listed in `rules/` becomes a `Rule`; two with one id are refused.

One shape for every rule: a module with the names of the contract in `api.py` and a docstring that
is its documentation (with a failing and a passing example). Shape-only rules are the same kind of
module, with `check = satisfies(...)` from `shapes.py`.
"""
from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Iterable

from ..findings import SEVERITIES, Found

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_EXAMPLE = re.compile(r"^(Fails|Passes)\b[^\n]*:\s*\n+```yaml\n(.*?)^```", re.S | re.M)
_REQUIRED = ("ID", "TITLE", "SEVERITY", "REMEDIATION", "check")


# What an option without a typed default may hold: kind -> its description in messages.
OPTION_KINDS = {"quantity": 'a Kubernetes quantity such as "500m", "2" or "4Gi"'}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    options: dict[str, Any]
    scope: str  # "resource" or "set"
    check: Callable[..., Iterable[Found]]
    doc: str
    family: str
    remediation: str
    example_context: dict[str, Any] = field(default_factory=dict)  # production/options for the doc examples
    kinds: tuple[str, ...] = ()  # the kinds a resource rule looks at; empty: every object
    waivable: bool = True
    option_kinds: dict[str, str] = field(default_factory=dict)  # option -> a kind of OPTION_KINDS (None defaults)

    def examples(self) -> dict[str, str]:
        """The docstring's YAML examples: {"Fails": text, "Passes": text}."""
        return {m.group(1): m.group(2) for m in _EXAMPLE.finditer(self.doc)}


def from_module(module: ModuleType) -> Rule:
    """The Rule a rule module declares; its family is the folder it sits in."""
    missing = [n for n in _REQUIRED if not hasattr(module, n)]
    if missing or not module.__doc__:
        raise ValueError(f"{module.__name__} is not a rule: it lacks {', '.join(missing) or 'a docstring'}")
    rule_id, severity = module.ID, module.SEVERITY
    scope = getattr(module, "SCOPE", "resource")
    if not _ID.match(rule_id) or severity not in SEVERITIES or scope not in ("resource", "set"):
        raise ValueError(f"rule {rule_id!r} ({module.__name__}): bad ID, SEVERITY or SCOPE")
    family = module.__name__.split(".")[-2].replace("_", "-")
    options, option_kinds = dict(getattr(module, "OPTIONS", {})), dict(getattr(module, "OPTION_KINDS", {}))
    # An option whose default is None has no type to check a setting against: it must declare one,
    # or a wrong value (`max: "4 cores"`) would silently turn the check off.
    untyped = [name for name, default in options.items() if default is None and option_kinds.get(name) not in OPTION_KINDS]
    if untyped:
        raise ValueError(f"rule {rule_id!r}: option(s) {', '.join(untyped)} default to None and need OPTION_KINDS "
                         f"({', '.join(OPTION_KINDS)})")
    return Rule(rule_id, module.TITLE, severity, dict(getattr(module, "OPTIONS", {})), scope, module.check,
                inspect.cleandoc(module.__doc__), family, module.REMEDIATION,
                dict(getattr(module, "EXAMPLE_CONTEXT", {})), tuple(getattr(module, "KINDS", ())),
                bool(getattr(module, "WAIVABLE", True)), option_kinds)


def build(modules: Iterable[ModuleType]) -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for rule in map(from_module, modules):
        if rule.id in registry:
            raise ValueError(f"rule id {rule.id!r} is registered twice ({registry[rule.id].family} and {rule.family})")
        registry[rule.id] = rule
    return dict(sorted(registry.items()))


@functools.cache
def all_rules() -> dict[str, Rule]:
    """Every built-in rule by id, sorted by id."""
    from .rules import MODULES

    return build(MODULES)
