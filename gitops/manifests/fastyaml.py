"""The fast YAML path: plain manifest files parsed by yaml-rs (Rust), several times faster than
building PyYAML nodes. Only files where the result is certain to equal the reference path's take it.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable

__all__ = ["parse_plain"]

# yaml-rs reads YAML 1.2; libyaml (and the API server's reader) YAML 1.1. Files where that could
# matter take the reference path: checked on the text for what parsing hides (tags, anchors, octal
# numbers, tabs, directives), and on the parsed values for the rest (`same_as_reference`).
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s*]", re.M)
_COMPLEX_KEY = re.compile(r"^[ \t]*\?(?:[ \t]|$)", re.M)
_EXPONENT = re.compile(r"[0-9][eE][-+]?[0-9]")
_BASE_60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_BOOL_WORDS = frozenset("yes Yes YES no No NO on On ON off Off OFF".split())


def plain_text(text: str) -> bool:
    # Very deep block nesting crashes yaml-rs (a native stack overflow): it needs long indentation
    # or long runs of "- ", which the reference path handles (with a depth limit of its own).
    if " " * 160 in text or "- " * 40 in text:
        return False
    if "\t" in text or "<<" in text or "!" in text or "0o" in text or text.startswith(("%", "...")) \
            or "\n%" in text or "\n..." in text:
        return False
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text):
        return False
    if "?" in text and _COMPLEX_KEY.search(text):
        return False
    for prefix in (": 0", "- 0", "[0", "[ 0", ", 0", ",0"):  # 0755 is octal in YAML 1.1
        at = text.find(prefix)
        while at != -1:
            after = at + len(prefix)
            if after < len(text) and (text[after].isdigit() or text[after] == "_"):
                return False
            at = text.find(prefix, after)
    return True


def same_as_reference(docs: list, text: str) -> bool:
    """False when a parsed value shows a YAML 1.1/1.2 difference: words that 1.1 reads as
    booleans, base-60 numbers, exponents without a dot, non-string or merge keys, Lists."""
    stack = [d for d in docs if type(d) is dict or type(d) is list]
    pop, push, bools, base_60 = stack.pop, stack.append, _BOOL_WORDS, _BASE_60.match
    saw_float = False
    while stack:
        item = pop()
        pairs: Iterable[tuple[Any, Any]]
        if type(item) is dict:
            if "<<" in item:
                return False
            pairs = item.items()
        else:
            pairs = enumerate(item)
        for key, value in pairs:
            if type(item) is dict and (type(key) is not str or key in bools):
                return False
            kind = type(value)
            if kind is str:
                if value in bools or (":" in value and value[:1].isdigit() and base_60(value)):
                    return False
            elif kind is dict or kind is list:
                push(value)
            elif kind is float:
                saw_float = True
    for doc in docs:
        if type(doc) is dict and isinstance(doc.get("kind"), str) and doc["kind"].endswith("List"):
            return False
    return not (saw_float and _EXPONENT.search(text))


_MARKER = re.compile(r"^---(?=[ \t\r]|$)(.*)$", re.M)
_CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.M)

fast_loads: Callable[..., Any] | None
try:  # optional speed-up; the reference path reads everything without it
    from yaml_rs import loads as fast_loads
except ImportError:  # pragma: no cover - depends on the install
    fast_loads = None


def parse_plain(text: str) -> list[tuple[int, int, Any]] | None:
    """(document index, start line, value) of each non-empty document of a plain file, parsed by
    yaml-rs; None means "use the reference path": the file has a construct where YAML 1.1 and 1.2
    could differ, duplicate keys, a syntax error, or a document layout we cannot line up."""
    if fast_loads is None or not plain_text(text):
        return None
    starts: list[int] = []  # start line (1-based) of each document; 0 for an empty one
    markers = list(_MARKER.finditer(text))
    first_end = markers[0].start() if markers else len(text)
    counted = [0, 0]  # (position, newlines before it): lines are counted once, front to back

    def line_at(pos: int) -> int:
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1] + 1

    found = _CONTENT_LINE.search(text, 0, first_end)
    if found:
        starts.append(line_at(found.start()))
    for i, marker in enumerate(markers):
        rest = marker.group(1).strip()
        if rest and not rest.startswith("#"):
            starts.append(line_at(marker.start()))
            continue
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        found = _CONTENT_LINE.search(text, marker.end(), end)
        starts.append(line_at(found.start()) if found else 0)
    try:
        loaded = fast_loads(text, parse_datetime=False)
    except Exception:  # duplicate keys, syntax errors: the reference path reports them with lines
        return None
    docs = [loaded] if len(starts) <= 1 else loaded
    if not starts:
        docs, starts = ([], []) if loaded is None else ([loaded], [1])
    if not isinstance(docs, list) or len(docs) != len(starts) or not same_as_reference(docs, text):
        return None
    return [(index, line, obj) for index, (obj, line) in enumerate(zip(docs, starts)) if obj is not None]
