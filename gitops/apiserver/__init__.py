"""What the Kubernetes API server would reject that JSON schemas cannot express (issue 8).

    from gitops.apiserver import check, catalog
    findings = check(resource, "1.33")   # list[Finding], rule ids `api-…`, severity "error"

The checks are rows of one table (`table.RULES`); `catalog()` lists them for `gitops rules` and the
docs. `check` never raises and never copies the object: a wrong type anywhere is left to the schema
check, which runs in the same pass.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any, Callable, Sequence

from ..findings import Finding, Found
from ..manifests.locate import parse_path as path_parts
from ..manifests.resource import Resource
from .engine import Ctx, Node, Rule, build_trie, parse_version, walk
from .table import RULES

__all__ = ["check", "catalog", "examples", "expand_example", "path_parts", "RULES", "SEVERITY"]

SEVERITY = "error"
_KINDS = frozenset(kind for rule in RULES for kind in rule.kinds)


@lru_cache(maxsize=None)
def _trie(kind: str, api_version: str, version: tuple[int, int]) -> Node:
    """The merged paths of every rule for this kind, apiVersion and Kubernetes version, built once."""
    return build_trie([r for r in RULES if kind in r.kinds and r.holds_in(version)
                       and (not r.api_versions or api_version in r.api_versions)], kind)


@lru_cache(maxsize=64)
def _version(text: str) -> tuple[int, int]:
    return parse_version(text)


# StatefulSet validation checks its template's labels, restartPolicy and activeDeadlineSeconds but
# neither the rest of the pod spec (kubernetes#81147) nor its volumeClaimTemplates: the object is
# stored, then every Pod or claim it creates is refused. Such findings say so.
_STATEFULSET_CHECKED = frozenset({"api-restart-policy", "api-template-active-deadline"})
_STATEFULSET_NOTES = (("spec.template.spec", "the StatefulSet is accepted but every Pod it creates is refused: "),
                      ("spec.volumeClaimTemplates", "the StatefulSet is accepted but the claims it creates are "
                                                    "refused: "))


def _message(rule: Rule, fields: dict, kind: str, where: str, strict: bool = False) -> str:
    message = rule.message.format_map(fields if strict else _Fields(fields))
    if kind == "StatefulSet" and rule.id not in _STATEFULSET_CHECKED:
        for prefix, note in _STATEFULSET_NOTES:
            if where.startswith(prefix):
                return note + message
    return message


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "?"




Locate = Callable[[Any, Sequence[Any]], "tuple[int, int] | None"]  # (line, column) of a path


def check(resource: Resource, kubernetes_version: str, locate: Locate | None = None,
          strict: bool = False) -> list[Finding]:
    """Findings for what the API server of `kubernetes_version` would refuse in this resource.

    `locate(origin, parts)`, when given, returns the line of a JSON path in the resource's file
    (the manifest reader's `locate`, giving line and column); it is asked only for findings, so clean resources cost nothing.
    `strict` (for tests) turns the safety nets off: a check that raises, or a message naming a field
    its check did not give, raises instead of losing the finding.
    """
    try:
        obj = resource.obj
        if not isinstance(obj, dict):
            return []
        kind = obj.get("kind")
        if not isinstance(kind, str) or kind not in _KINDS:
            return []
        version = _version(kubernetes_version if isinstance(kubernetes_version, str) else "")
        api_version = obj.get("apiVersion")
        api_version = api_version if isinstance(api_version, str) else ""
        ctx = Ctx(obj, kind, api_version, version, strict)
        raw: list[tuple[Rule, str, dict]] = []
        walk(_trie(kind, api_version, version), obj, "", ctx, raw)
        out = []
        for rule, where, fields in raw:
            line, column = _place(locate, resource, where)
            found = Found(resource, _message(rule, fields, kind, where, strict), path=where,
                          hint=f"The API server refuses this; see {rule.doc}", line=line, column=column)
            out.append(Finding.stamp(found, rule.id, SEVERITY))
        return out
    except Exception:  # noqa: BLE001 - a malformed manifest is the schema check's finding, never a crash
        if strict:
            raise
        return []


def _place(locate: Locate | None, resource: Resource, where: str) -> tuple[int | None, int | None]:
    """(line, column) of a path in the resource's file, when `locate` is given and finds it."""
    if locate is None or not resource.origin.file:
        return None, None
    try:
        place = locate(resource.origin, path_parts(where))
    except Exception:  # noqa: BLE001 - a line number is a nicety, never a reason to fail
        return None, None
    return place if place else (None, None)


def catalog() -> list[dict]:
    """One entry per rule id: what it checks, what the API server says, in which versions, where documented."""
    entries: dict[str, dict] = {}
    for rule in RULES:
        entry = entries.setdefault(rule.id, {"id": rule.id, "severity": SEVERITY, "descriptions": [],
                                             "kinds": set(), "paths": [], "api_server": [], "versions": [],
                                             "doc": rule.doc})
        if rule.description not in entry["descriptions"]:
            entry["descriptions"].append(rule.description)
        entry["kinds"].update(rule.kinds)
        entry["paths"].extend(p for p in rule.paths if p not in entry["paths"])
        if rule.message not in entry["api_server"]:
            entry["api_server"].append(rule.message)
        span = f"{rule.since}+" if rule.until is None else f"{rule.since}–{rule.until}"
        if span not in entry["versions"]:
            entry["versions"].append(span)
    result = []
    for entry in entries.values():
        result.append({
            "id": entry["id"],
            "severity": entry["severity"],
            "description": "; ".join(entry["descriptions"]),
            "kinds": sorted(entry["kinds"]),
            "paths": entry["paths"],
            "api_server": " | ".join(entry["api_server"]),
            "versions": ", ".join(entry["versions"]),
            "doc": entry["doc"],
        })
    return sorted(result, key=lambda e: e["id"])


_EXAMPLES = os.path.join(os.path.dirname(__file__), "examples.yaml")
_REPEAT = re.compile(r"<<repeat (\d+) (.)>>")
DEFAULT_EXAMPLE_VERSION = "1.33"


@lru_cache(maxsize=1)
def examples() -> dict[str, dict[str, str]]:
    """id -> {"fails": YAML, "passes": YAML, "version": "1.xx"}: one refused object and the same object
    fixed, per rule id (examples.yaml; tests/test_apiserver.py runs every one through `check`)."""
    import yaml

    with open(_EXAMPLES, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {rule: {"version": str(entry.get("version", DEFAULT_EXAMPLE_VERSION)), "fails": entry["fails"],
                   "passes": entry["passes"]} for rule, entry in data.items()}


def expand_example(text: str) -> str:
    """The example as the API server would receive it: `<<repeat N c>>` (a value too big to show)
    becomes N copies of c."""
    return _REPEAT.sub(lambda m: m.group(2) * int(m.group(1)), text)
