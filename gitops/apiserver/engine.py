"""The machinery behind the rule table: path patterns, a per-kind trie walked once, version gates.

A rule's check is called with the value found at one of its paths and yields `(path, fields)`;
the engine turns each into a Finding whose message is the rule's template filled with `fields`.
Checks never see a value of the wrong type as an error (the schema check reports those) and never
raise: a bug in one check on one hostile input must not stop the run.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, TypeGuard

Fields = dict[str, Any]
CheckFn = Callable[[Any, str, "Ctx"], Iterable[tuple[str, Fields]]]

POD = "Pod"
APPS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
JOBS = ("Job", "CronJob")
WORKLOADS = (POD, *APPS, *JOBS)

# Where the pod spec, its template, the Job spec and claim specs sit in each kind: `{pod}`,
# `{template}`, `{job}`, `{claim}`.
ANCHORS: dict[str, dict[str, str]] = {
    "Pod": {"pod": "spec", "template": ""},
    **{k: {"pod": "spec.template.spec", "template": "spec.template"} for k in APPS},
    "StatefulSet": {"pod": "spec.template.spec", "template": "spec.template",
                    "claim": "spec.volumeClaimTemplates[*].spec"},
    "PersistentVolumeClaim": {"claim": "spec"},
    "Job": {"pod": "spec.template.spec", "template": "spec.template", "job": "spec"},
    "CronJob": {"pod": "spec.jobTemplate.spec.template.spec", "template": "spec.jobTemplate.spec.template",
                "job": "spec.jobTemplate.spec"},
}
# `{containers}` is both container lists of the pod spec.
CONTAINER_LISTS = ("{pod}.containers[*]", "{pod}.initContainers[*]")


class Ctx:
    """What a check may look at besides its value: the whole object, its kind and the target version."""

    __slots__ = ("obj", "kind", "api_version", "version", "strict")  # made once per resource: kept cheap

    def __init__(self, obj: dict, kind: str, api_version: str, version: tuple[int, int], strict: bool = False) -> None:
        self.obj, self.kind, self.api_version, self.version = obj, kind, api_version, version
        self.strict = strict  # tests: a check that raises is a failure, not a lost finding


@dataclass(frozen=True)
class Rule:
    """One row of the table: an API-server check, where it applies and when it holds."""

    id: str
    description: str
    kinds: tuple[str, ...]
    paths: tuple[str, ...]
    check: CheckFn
    message: str  # what the API server says, with {fields} from the check
    doc: str
    since: str = "1.25"
    until: str | None = None  # last version in which the rule holds, inclusive
    api_versions: tuple[str, ...] = ()  # empty: every apiVersion of the kinds

    def holds_in(self, version: tuple[int, int]) -> bool:
        if version < parse_version(self.since):
            return False
        return self.until is None or version <= parse_version(self.until)


_VERSION = re.compile(r"v?(\d+)\.(\d+)")
OLDEST, LATEST = (1, 25), (1, 37)  # the versions the bundled schemas cover


def parse_version(text: object) -> tuple[int, int]:
    """"1.33" or "v1.33.2" as (1, 33); unreadable means the latest; older than 1.25 counts as 1.25."""
    match = _VERSION.match(text) if isinstance(text, str) else None
    return max((int(match.group(1)), int(match.group(2))), OLDEST) if match else LATEST


# ---- value rendering, as Go's field errors print values ------------------------------------------

def q(value: Any) -> str:
    """A value as the API server quotes it: strings in double quotes, numbers bare."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    try:
        return json.dumps(value, sort_keys=True, default=str)[:200]
    except (TypeError, ValueError, RecursionError):
        return "<value>"


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


# ---- check constructors used by the table ---------------------------------------------------------

NOTHING: tuple = ()  # what the simple checks return when the value is fine: no generator, no list


def one_of(*values: str) -> CheckFn:
    """An enum: a string not in `values` is refused (other types are the schema's business)."""
    allowed = frozenset(values)
    supported = ", ".join(json.dumps(v) for v in values)

    def check(value: Any, path: str, ctx: Ctx) -> Iterable[tuple[str, Fields]]:
        if isinstance(value, str) and value not in allowed:
            return [(path, {"value": q(value), "supported": supported})]
        return NOTHING
    check.supported = values  # type: ignore[attr-defined]
    return check


def at_least(low: int) -> CheckFn:
    def check(value: Any, path: str, ctx: Ctx) -> Iterable[tuple[str, Fields]]:
        if is_int(value) and value < low:
            return [(path, {"value": value, "low": low})]
        return NOTHING
    return check


def between(low: int, high: int, unset: int | None = None) -> CheckFn:
    """An integer range; `unset` is a value meaning "not set" that is always accepted (a hostPort of 0)."""
    def check(value: Any, path: str, ctx: Ctx) -> Iterable[tuple[str, Fields]]:
        if is_int(value) and value != unset and not low <= value <= high:
            return [(path, {"value": value, "low": low, "high": high})]
        return NOTHING
    return check


def string_format(errors: Callable[[str], list[str]]) -> CheckFn:
    """A string checked by an apimachinery-style validator returning its error texts."""
    def check(value: Any, path: str, ctx: Ctx) -> Iterable[tuple[str, Fields]]:
        if isinstance(value, str):
            found = errors(value)
            if found:
                return [(path, {"value": q(value), "detail": detail}) for detail in found]
        return NOTHING
    return check


def each_key(errors: Callable[[str], list[str]]) -> CheckFn:
    """Every key of a mapping checked by a string validator (labels, annotations, data keys)."""
    def check(value: Any, path: str, ctx: Ctx) -> Iterable[tuple[str, Fields]]:
        if not isinstance(value, dict):
            return NOTHING
        return [(path, {"value": q(key), "detail": detail})
                for key in value if isinstance(key, str) for detail in errors(key)]
    return check


def each_value(errors: Callable[[str], list[str]]) -> CheckFn:
    def check(value: Any, path: str, ctx: Ctx) -> Iterable[tuple[str, Fields]]:
        if not isinstance(value, dict):
            return NOTHING
        return [(f"{path}[{key}]", {"value": q(item), "detail": detail})
                for key, item in value.items() if isinstance(item, str) for detail in errors(item)]
    return check


# ---- the trie: every rule path of one kind merged, walked once per resource -----------------------

@dataclass
class Node:
    checks: list[tuple[Rule, CheckFn]] = field(default_factory=list)
    children: dict[str, "Node"] = field(default_factory=dict)
    each: "Node | None" = None  # `[*]`: every item of a list


_STEP = re.compile(r"([^.\[]+)|\[\*\]")


def expand(pattern: str, kind: str) -> list[str]:
    """A path pattern for one kind: `{containers}`, `{pod}`, `{template}` and `{job}` replaced."""
    if "{containers}" in pattern:
        return [p for lst in CONTAINER_LISTS for p in expand(pattern.replace("{containers}", lst), kind)]
    anchors = ANCHORS.get(kind, {})
    for name in ("pod", "template", "job", "claim"):
        token = "{" + name + "}"
        if token in pattern:
            if name not in anchors:
                return []
            pattern = pattern.replace(token, anchors[name])
    return [pattern.strip(".")]


def build_trie(rules: Iterable[Rule], kind: str) -> Node:
    root = Node()
    for rule in rules:
        # A set: in a Pod `{template}.metadata.labels` is `metadata.labels` again, checked once.
        paths = {path: None for pattern in rule.paths for path in expand(pattern, kind)}
        for path in paths:
            node = root
            for match in _STEP.finditer(path):
                key = match.group(1)
                if key is None:
                    node.each = node.each or Node()
                    node = node.each
                else:
                    node = node.children.setdefault(key, Node())
            node.checks.append((rule, rule.check))
    return root


def _run(checks: list[tuple[Rule, CheckFn]], value: Any, path: str, ctx: Ctx,
         out: list[tuple[Rule, str, Fields]]) -> None:
    for rule, check in checks:
        try:
            for where, fields in check(value, path, ctx):
                out.append((rule, where, fields))
        except Exception:  # noqa: BLE001 - hostile input must never stop validation
            if ctx.strict:
                raise
            continue


def walk(node: Node, value: Any, path: str, ctx: Ctx, out: list[tuple[Rule, str, Fields]]) -> None:
    if node.checks:
        _run(node.checks, value, path, ctx, out)
    if node.children and isinstance(value, dict):
        for key, child in node.children.items():
            item = value.get(key)
            if item is None:
                continue
            child_path = f"{path}.{key}" if path else key
            if child.children or child.each is not None:
                walk(child, item, child_path, ctx, out)
            else:  # a leaf: most nodes are, and a call saved per leaf is most of the walk's cost
                _run(child.checks, item, child_path, ctx, out)
    if node.each is not None and isinstance(value, list):
        each = node.each
        for i, item in enumerate(value):
            walk(each, item, f"{path}[{i}]", ctx, out)
