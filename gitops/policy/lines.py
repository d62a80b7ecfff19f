"""Lines for policy findings: the line of each finding's JSON path in its file, found only for the
files that have findings (through the manifest reader's `locate`), with their column."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable

from ..findings import Finding
from ..manifests.reader import locate

_PART = re.compile(r'\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def parse_path(path: str) -> list[Any]:
    """`spec.containers[0].env[1]` -> ["spec", "containers", 0, "env", 1]; `["a.b/c"]` keeps odd keys."""
    parts: list[Any] = []
    pos = 0
    while pos < len(path):
        match = _PART.match(path, pos)
        if not match:
            break
        name, index, quoted = match.groups()
        parts.append(name if name is not None else int(index) if index is not None else
                     quoted.replace('\\"', '"').replace("\\\\", "\\"))
        pos = match.end()
    return parts


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
