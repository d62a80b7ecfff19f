"""Plain text for people: findings grouped by file, then kubeconform's one-line summary."""
from __future__ import annotations

from ..findings import Report
from .model import by_file, summary_line

NAME = "text"


def render(report: Report) -> str:
    lines: list[str] = []
    for file, findings in by_file(report.findings).items():
        lines.append(file or "(no file)")
        for f in findings:
            where = f"{f.where_line}:" if f.where_line else "-:"
            subject = f"{f.resource} " if f.resource else ""
            path = f"{f.path}: " if f.path else ""
            waived = f" (waived: {f.waiver_reason})" if f.waived else ""
            lines.append(f"  {where:<6} {f.severity:<7} {subject}{path}{f.message} [{f.rule}]{waived}")
            if f.hint and not f.waived:
                lines.append(f"         hint: {f.hint}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
