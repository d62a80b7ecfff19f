"""Lines for policy findings: the line of each finding's JSON path in its file, found only for the
files that have findings (through the manifest reader's `locate`), with their column."""
from __future__ import annotations

from typing import Iterable

from ..findings import Finding
from ..manifests.locate import document, parse_path


def with_lines(findings: Iterable[Finding]) -> list[Finding]:
    out = list(findings)
    # One document at a time, each looked up (and composed) once for all of its findings.
    order = sorted(range(len(out)), key=lambda i: (out[i].origin.file, out[i].origin.line))
    current, found = None, None
    for i in order:
        f = out[i]
        origin = f.origin
        if f.line is None and f.path and f.resource and origin.file and origin.line:
            if current != (origin.file, origin.line):
                current = (origin.file, origin.line)
                found = document(origin.file, origin.line)
            place = found.place(parse_path(f.path)) if found is not None else None
            if place is not None:
                out[i] = _placed(f, *place)
    return out


def _placed(f: Finding, line: int, column: int) -> Finding:
    # A copy with its place: `dataclasses.replace` would re-run the constructor's introspection for
    # each of thousands of findings.
    copy = object.__new__(Finding)
    copy.__dict__.update(f.__dict__, line=line, column=column)
    return copy
