"""TAP version 13: one test point per resource when verdicts are known, else one per finding."""
from __future__ import annotations

from ..findings import Report
from .model import DEFAULT_STYLE, Style, ValidationReport, by_file

NAME = "tap"


def _line(f) -> str:
    return f"{f.severity}: {f.path + ': ' if f.path else ''}{f.message}"


def _yaml_block(messages: list[str]) -> list[str]:
    return ["  ---", "  message: |"] + [f"    {m}" for m in messages] + ["  ..."]


def render(report: Report, style: Style = DEFAULT_STYLE) -> list[str]:
    points: list[str] = []
    findings = [f for f in report.sorted() if not f.waived]
    if isinstance(report, ValidationReport) and report.checked:
        per_resource: dict[tuple, list] = {}
        for f in findings:
            per_resource.setdefault((f.origin.file, f.origin.doc_index, f.origin.line), []).append(f)
        for number, item in enumerate(report.checked, 1):
            mine = per_resource.get((item.file, item.doc_index, item.line), [])
            name = f"{item.file} - {item.resource}"
            if item.status == "skipped":
                points.append(f"ok {number} - {name} # SKIP")
            elif item.status == "valid":
                points.append(f"ok {number} - {name}")
                points += _yaml_block([_line(f) for f in mine]) if mine else []
            else:
                points.append(f"not ok {number} - {name}")
                points += _yaml_block([_line(f) for f in mine] or [item.status])
    else:
        number = 0
        for file, items in by_file(findings).items():
            for f in items:
                number += 1
                status = "not ok" if f.severity == "error" else "ok"
                points.append(f"{status} {number} - {file}:{f.where_line} {f.resource} {f.rule}")
                points += _yaml_block([f"{f.path}: {f.message}" if f.path else f.message])
    count = sum(1 for p in points if p.startswith(("ok ", "not ok ")))
    return ["\n".join(["TAP version 13", f"1..{count}", *points]) + "\n"]
