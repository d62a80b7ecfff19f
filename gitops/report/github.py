"""GitHub Actions workflow commands: one `::error file=…,line=…::…` annotation per finding."""
from __future__ import annotations

from ..findings import Report
from .model import DEFAULT_STYLE, Style, summary_line

NAME = "github"
_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, style: Style = DEFAULT_STYLE) -> list[str]:
    lines = []
    for f in report.sorted():
        if f.waived:
            continue
        props = [f"file={_prop(f.origin.file)}"] if f.origin.file else []
        if f.where_line:
            props.append(f"line={f.where_line}")
        props.append(f"title={_prop(f.rule)}")
        subject = " ".join(p for p in (f.resource, f.path) if p)
        message = f"{subject}: {f.message}" if subject else f.message
        if f.hint:
            message += f"\nhint: {f.hint}"
        lines.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_data(message)}")
    lines.append(summary_line(report))
    return ["\n".join(lines) + "\n"]
