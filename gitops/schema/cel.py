"""CEL validation rules of CRDs (`x-kubernetes-validations`), evaluated with cel-python.

The API server evaluates these on create and update; kubeconform ignores them. Each rule sees the
value of its own schema node as `self`. Transition rules (those using `oldSelf`) need the previous
object and are skipped. A rule this library cannot compile or evaluate (Kubernetes adds functions
such as `quantity()` or `isURL()` to CEL) is reported as a warning, never as a crash.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

_compiled: dict[str, Any] = {}


@dataclass
class Rule:
    expression: str
    message: str
    field_path: str = ""


@dataclass
class CelRules:
    """The part of a schema tree that holds rules: only branches leading to a rule are kept."""

    rules: list[Rule] = field(default_factory=list)
    properties: dict[str, "CelRules"] = field(default_factory=dict)
    items: "CelRules | None" = None
    additional: "CelRules | None" = None


@dataclass(frozen=True)
class Violation:
    path: list
    message: str
    expression: str
    rule: str = "cel-rule"  # "cel-unsupported" when the rule could not be evaluated here


def collect_rules(schema: Any) -> CelRules | None:
    if not isinstance(schema, dict):
        return None
    node = CelRules()
    for raw in schema.get("x-kubernetes-validations") or []:
        if isinstance(raw, dict) and isinstance(raw.get("rule"), str) and "oldSelf" not in raw["rule"]:
            node.rules.append(Rule(raw["rule"], str(raw.get("message") or ""), str(raw.get("fieldPath") or "")))
    for name, sub in (schema.get("properties") or {}).items():
        child = collect_rules(sub)
        if child:
            node.properties[name] = child
    node.items = collect_rules(schema.get("items"))
    node.additional = collect_rules(schema.get("additionalProperties"))
    return node if node.rules or node.properties or node.items or node.additional else None


def _program(expression: str) -> Any:
    if expression not in _compiled:
        import logging

        import celpy  # imported on first use: most runs have no CEL rules

        logging.getLogger("celpy").setLevel(logging.CRITICAL)  # its evaluator logs every failed rule
        env = celpy.Environment()
        try:
            _compiled[expression] = env.program(env.compile(expression))
        except Exception as exc:  # cel-python raises its own parse errors; we report, not crash
            _compiled[expression] = exc
    return _compiled[expression]


def _evaluate(rule: Rule, value: Any) -> tuple[bool | None, str]:
    import celpy

    program = _program(rule.expression)
    if isinstance(program, Exception):
        return None, f"cannot compile: {str(program).splitlines()[0] if str(program) else type(program).__name__}"
    try:
        result = program.evaluate({"self": celpy.json_to_cel(value)})
    except Exception as exc:
        return None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(result, Exception):
        return None, str(result).splitlines()[0] if str(result) else type(result).__name__
    return bool(result), ""


def check(node: CelRules, value: Any, path: list | None = None) -> Iterator[Violation]:
    path = path or []
    if value is None:
        return
    for rule in node.rules:
        ok, problem = _evaluate(rule, value)
        where = path + [p for p in rule.field_path.lstrip(".").split(".") if p] if rule.field_path else path
        if ok is None:
            yield Violation(where, f"CEL rule could not be evaluated here ({problem}): {rule.expression}",
                            rule.expression, "cel-unsupported")
        elif not ok:
            yield Violation(where, rule.message or f"failed rule: {rule.expression}", rule.expression)
    if isinstance(value, dict):
        for name, child in node.properties.items():
            if name in value:
                yield from check(child, value[name], path + [name])
        if node.additional:
            for name in sorted(value):
                if name not in node.properties:
                    yield from check(node.additional, value[name], path + [name])
    elif isinstance(value, list) and node.items:
        for index, item in enumerate(value):
            yield from check(node.items, item, path + [index])
