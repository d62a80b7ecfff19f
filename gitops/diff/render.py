"""The plan as text (for a terminal or a CI log) and as JSON (for other tools)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable

from ..manifests.resource import Origin
from . import data, summary
from .compare import ABSENT, ACTIONS, SYMBOLS, Change, FieldChange, Plan

if TYPE_CHECKING:
    from ..findings import Finding

VALUE_WIDTH = 120  # longer values are cut in text and markdown; JSON keeps them whole


def value_text(value: Any, width: int = VALUE_WIDTH) -> str:
    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 1] + "…"


def field_line(f: FieldChange) -> str:
    return f"{f.path}: {value_text(f.old)} → {value_text(f.new)}"


def source(origin: Origin) -> str:
    """Where a resource comes from: spec file and line, app, environment, then the generated file."""
    parts = []
    if origin.spec_file:
        spec = f"{origin.spec_file}:{origin.spec_line}" if origin.spec_line else origin.spec_file
        parts.append(spec)
    if origin.app:
        parts.append(f"app {origin.app}")
    if origin.env:
        parts.append(f"env {origin.env}")
    generated = f"{origin.file}:{origin.line}" if origin.line else origin.file
    return ", ".join(parts) + (f" → {generated}" if parts else generated)


def change_source(c: Change) -> str:
    if c.action == "rename" and c.old is not None and c.new is not None and c.old.origin.file != c.new.origin.file:
        return f"{source(c.new.origin)} (was {c.old.origin.file})"
    return source(c.origin)


def summary_line(plan: Plan) -> str:
    t = plan.totals()
    if plan.empty:
        return f"No changes: {plan.unchanged} resources unchanged."
    return (f"Plan: {t['create']} to create, {t['update']} to update, {t['delete']} to delete, "
            f"{t['rename']} to rename ({plan.unchanged} unchanged).")


def count_rows(plan: Plan) -> list[tuple[str, str, int, int, int, int]]:
    """(env, kind, created, updated, deleted, renamed) per environment and kind."""
    return [(env or "-", kind, n["create"], n["update"], n["delete"], n["rename"])
            for env, kinds in plan.counts().items() for kind, n in kinds.items()]


def text(plan: Plan, new: Iterable[Finding] | None = None, fixed: Iterable[Finding] = ()) -> str:
    """The summary per app first (in a reviewer's words), then every resource and field. `new` and
    `fixed` are the findings the change adds and removes; None when they were not computed."""
    lines = [summary_line(plan)]
    if plan.empty:
        return lines[0] + "\n"
    lines += summary.lines(summary.summarize(plan, new or (), fixed), findings=new is not None)
    lines += ["", "Detail:"]
    for c in plan.changes:
        lines.append(f"{SYMBOLS[c.action]} {c.action:<6} {c.ref}  ({change_source(c)})")
    lines += ["", "By environment and kind:"]
    header = ("env", "kind", "create", "update", "delete", "rename")
    rows = [header] + [tuple(str(v) for v in row) for row in count_rows(plan)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        lines.append("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
    lines += data.text(plan)
    details = [c for c in plan.changes if c.fields]
    if details:
        lines += ["", "Changes:"]
        for c in details:
            lines.append(f"{SYMBOLS[c.action]} {c.ref}  ({change_source(c)})")
            lines += [f"    {field_line(f)}" for f in c.fields]
    return "\n".join(lines) + "\n"


def _jsonable(value: Any) -> Any:
    return None if value is ABSENT else value


def _origin(origin: Origin) -> dict[str, Any]:
    return {"file": origin.file, "line": origin.line, "app": origin.app, "env": origin.env,
            "specFile": origin.spec_file, "specLine": origin.spec_line}


def as_data(plan: Plan) -> dict[str, Any]:
    changes = []
    for c in plan.changes:
        r = c.resource
        entry: dict[str, Any] = {"action": c.action, "apiVersion": r.api_version, "kind": r.kind,
                                 "namespace": r.namespace, "name": r.name, "origin": _origin(c.origin)}
        if c.action == "rename" and c.old is not None:
            entry["from"] = {"namespace": c.old.namespace, "name": c.old.name, "origin": _origin(c.old.origin)}
        entry["fields"] = [{"path": f.path, "old": _jsonable(f.old), "new": _jsonable(f.new),
                            "added": f.old is ABSENT, "removed": f.new is ABSENT} for f in c.fields]
        changes.append(entry)
    apps = [{"app": s.app, "specFile": s.spec_file, "headline": summary.headline(s),
             "details": summary.details(s, findings=False)} for s in summary.summarize(plan)]
    return {"totals": plan.totals(), "unchanged": plan.unchanged, "counts": plan.counts(), "changes": changes,
            "dataDeleted": data.effects(plan), "summary": apps}


def as_json(plan: Plan) -> str:
    return json.dumps(as_data(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


__all__ = ["ACTIONS", "as_data", "as_json", "change_source", "count_rows", "field_line", "source",
           "summary_line", "text", "value_text"]
