"""Plain-text lines for policy findings: `file:line: severity rule: message`."""
from __future__ import annotations

from typing import Iterable

from ..findings import Finding, SEVERITIES


def line(f: Finding) -> str:
    where = f"{f.file}:{f.where_line}" if f.where_line else (f.file or "-")
    subject = f" {f.resource}" if f.resource else ""
    path = f" at {f.path}" if f.path else ""
    text = f"{where}: {f.severity} {f.rule}:{subject}{path}: {f.message}"
    if f.waived:
        text += f" [waived: {f.waiver_reason}" + (f", until {f.waiver_expiry}" if f.waiver_expiry else "") + "]"
    return text


def summary(findings: Iterable[Finding], label: str = "policy") -> str:
    findings = list(findings)
    counts = {s: sum(1 for f in findings if f.severity == s and not f.waived) for s in SEVERITIES}
    waived = sum(1 for f in findings if f.waived)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES]
    return f"{label}: {', '.join(parts)}, {waived} waived"
