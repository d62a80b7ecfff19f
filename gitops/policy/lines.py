"""Lines for policy findings: the line of each finding's JSON path in its file, found only for the
files that have findings (through the manifest reader's `locate`), with their column."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..findings import Finding

if TYPE_CHECKING:
    from .spread import Helper


def with_lines(findings: Iterable[Finding], helper: Helper | None = None) -> list[Finding]:
    """The findings with the line and column of their path; `helper` (a second process) finds
    them in the files it read, this process in the others."""
    from .spread import places

    out = list(findings)
    # One document at a time, each looked up once for all of its findings.
    documents: dict[tuple[str, int], list[int]] = {}
    for i, f in enumerate(out):
        if f.line is None and f.path and f.resource and f.origin.file and f.origin.line:
            documents.setdefault((f.origin.file, f.origin.line), []).append(i)
    keys = sorted(documents)
    theirs = [k for k in keys if helper is not None and k[0] in helper.files]
    ours = [k for k in keys if helper is None or k[0] not in helper.files]
    answered: list[tuple[tuple[str, int], list]] = []
    for share, ask in ((theirs, helper.places if helper is not None else places), (ours, places)):
        if share:
            answered += zip(share, ask([(file, line, [out[i].path for i in documents[(file, line)]])
                                        for file, line in share]))
    for key, found in answered:
        for i, place in zip(documents[key], found):
            if place is not None:
                out[i] = _placed(out[i], *place)
    return out


def _placed(f: Finding, line: int, column: int) -> Finding:
    # A copy with its place: `dataclasses.replace` would re-run the constructor's introspection for
    # each of thousands of findings.
    copy = object.__new__(Finding)
    copy.__dict__.update(f.__dict__, line=line, column=column)
    return copy
