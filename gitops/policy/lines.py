"""Lines for policy findings: the line of each finding's JSON path in its file, found only for the
files that have findings (through the manifest reader's `locate`), with their column."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from ..findings import Finding
from ..manifests.locate import parse_path
from ..manifests.reader import locate


def with_lines(findings: Iterable[Finding]) -> list[Finding]:
    out = list(findings)
    # one document at a time: the reader keeps only the last few composed documents in memory
    for i in sorted(range(len(out)), key=lambda i: (out[i].origin.file, out[i].origin.line)):
        f = out[i]
        if f.line is None and f.path and f.resource and f.origin.file and f.origin.line:
            place = locate(f.origin, parse_path(f.path))
            if place:
                out[i] = replace(f, line=place[0], column=place[1])
    return out
