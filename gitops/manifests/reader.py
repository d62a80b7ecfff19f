"""Reading Kubernetes manifests from files and folders into Resources, never crashing on input.

Every document becomes a Resource (with file, document index and start line) or a Finding that says
why it could not be read: a syntax error with line and column, a file that is not YAML, an alias
bomb, a document that is not an object. Bulk parsing goes through libyaml (PyYAML's C loader); the
line of a JSON path inside a document is found lazily (`locate_line`), only for documents with
problems, by composing that file again with node marks.

YAML that the API server reads differently from a naive loader is read as the API server does:
unquoted dates stay strings, non-string keys become strings (with a warning), merge keys are
expanded; duplicate keys are reported (the API server silently keeps the last one).
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterator, Sequence

import yaml

from ..errors import InputError
from ..findings import Finding
from .resource import Origin, Resource

__all__ = ["Part", "ReadResult", "read_paths", "read_file", "read_part", "split_file", "iter_manifest_files", "locate_line", "format_path",
           "MANIFEST_SUFFIXES", "MAX_EXPANDED_NODES"]

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
# A Kustomization is a build instruction for kustomize, not a Kubernetes resource.
SKIPPED_NAMES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})
# Upper bound on the nodes one document may expand to through aliases (billion laughs guard).
MAX_EXPANDED_NODES = 200_000
_DOC_START = re.compile(r"^---(?=[ \t]|$)", re.M)
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


@dataclass
class ReadResult:
    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_resolved: dict[str, str] = {}  # plain scalar text -> tag; keys and values repeat across documents


class _Loader(yaml.CSafeLoader):
    """libyaml parser; the tag of each plain scalar is resolved once per distinct text."""

    def resolve(self, kind, value, implicit):  # type: ignore[override]
        if kind is yaml.ScalarNode and implicit[0]:
            tag = _resolved.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_resolved) < 200_000:
                    _resolved[value] = tag
            return tag
        if kind is yaml.MappingNode:
            return _MAP
        return super().resolve(kind, value, implicit)


def _json_key(key: Any) -> str:
    if isinstance(key, (list, dict, tuple)):
        return repr(key)
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


_scalars = yaml.constructor.SafeConstructor()
# Values as the API server's YAML-to-JSON step reads them: `2024-01-01` and `!!binary` stay the text
# written; sets and ordered maps become JSON objects and lists.
_SCALAR = {
    "tag:yaml.org,2002:null": _scalars.construct_yaml_null,
    "tag:yaml.org,2002:bool": _scalars.construct_yaml_bool,
    "tag:yaml.org,2002:int": _scalars.construct_yaml_int,
    "tag:yaml.org,2002:float": _scalars.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _scalars.construct_scalar,
    "tag:yaml.org,2002:binary": _scalars.construct_scalar,
    "tag:yaml.org,2002:value": _scalars.construct_scalar,
}
_AS_MAP = ("tag:yaml.org,2002:set",)
_AS_PAIRS = ("tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs")


class _Builder:
    """Nodes to plain Python values, faster than PyYAML's generic constructor (no state machine),
    noting duplicate keys and non-string keys on the way. `shared` memoises aliased nodes."""

    def __init__(self, shared: bool):
        self.memo: dict[int, Any] | None = {} if shared else None
        self.duplicates: list[tuple[yaml.Node, str, int, int]] = []  # mapping, key, line, first line
        self.odd_keys: list[tuple[yaml.Node, str, int]] = []  # mapping, key as read, line

    def build(self, node: yaml.Node) -> Any:
        memo = self.memo
        if memo is not None and id(node) in memo:
            return memo[id(node)]
        kind = type(node)
        tag = node.tag
        if kind is yaml.ScalarNode:
            if tag == _STR:
                return node.value
            convert = _SCALAR.get(tag)
            if convert is None:
                raise yaml.constructor.ConstructorError(None, None, f"unknown tag {tag!r}", node.start_mark)
            value = convert(node)
        elif kind is yaml.SequenceNode:
            if tag != _SEQ and tag not in _AS_PAIRS:
                raise yaml.constructor.ConstructorError(None, None, f"unknown tag {tag!r}", node.start_mark)
            value = [self.build(child) for child in node.value]
        else:
            if tag != _MAP and tag not in _AS_MAP:
                raise yaml.constructor.ConstructorError(None, None, f"unknown tag {tag!r}", node.start_mark)
            value = self.mapping(node)
        if memo is not None:
            memo[id(node)] = value
        return value

    def mapping(self, node: yaml.MappingNode) -> dict:
        out: dict = {}
        own_lines: dict = {}
        merged: list[dict] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                source = self.build(value_node)
                merged.extend(source if isinstance(source, list) else [source])
                continue
            key = key_node.value if key_node.tag == _STR and type(key_node) is yaml.ScalarNode \
                else self.build(key_node)
            if type(key) is not str:
                # Converted before insertion: in Python, 1 and True would be the same key.
                key = _json_key(key)
                self.odd_keys.append((node, key, key_node.start_mark.line + 1))
            if key in own_lines:
                self.duplicates.append((node, key, key_node.start_mark.line + 1, own_lines[key]))
            own_lines[key] = key_node.start_mark.line + 1
            out[key] = self.build(value_node)
        if merged:  # explicit keys win over merged ones; earlier merge sources win over later ones
            base: dict = {}
            for source in reversed(merged):
                if not isinstance(source, dict):
                    raise yaml.constructor.ConstructorError(None, None, "a merge key (<<) needs a mapping",
                                                            node.start_mark)
                base.update(source)
            base.update(out)
            out = base
        return out


def iter_manifest_files(paths: Sequence[str]) -> Iterator[str]:
    """Files to read, in a stable order: given files as they are, folders walked sorted."""
    for path in paths:
        if os.path.isfile(path):
            yield path
        elif os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(MANIFEST_SUFFIXES) and name not in SKIPPED_NAMES:
                        yield os.path.join(folder, name)
        else:
            raise InputError("no such file or folder", file=path)


def read_paths(paths: Sequence[str]) -> ReadResult:
    """Every Kubernetes document under `paths` as Resources, and Findings for what could not be read."""
    result = ReadResult()
    for path in iter_manifest_files(paths):
        resources, findings = read_file(path)
        result.resources.extend(resources)
        result.findings.extend(findings)
        result.files += 1
    return result


def _finding(rule: str, message: str, file: str, doc_index: int = 0, line: int = 0,
             severity: str = "error", hint: str = "", path: str = "", resource: str = "",
             doc_line: int | None = None) -> Finding:
    """A reading Finding; its Origin is the document (start line `doc_line`), `line` the exact place."""
    origin = Origin(file=file, doc_index=doc_index, line=line if doc_line is None else doc_line)
    return Finding(rule=rule, severity=severity, message=message, origin=origin, resource=resource, path=path,
                   line=line or None, hint=hint)


def _decode(data: bytes, file: str) -> tuple[str | None, Finding | None]:
    if b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _finding("manifest-not-yaml", "not a YAML file (binary content)", file, line=1)
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), None
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, _finding("manifest-not-yaml", f"not UTF-8 text (byte {exc.start})", file, line=line)


def read_file(path: str, fast: bool = True) -> tuple[list[Resource], list[Finding]]:
    """The Resources and the reading Findings of one file. Never raises on content.

    `fast`: plain documents go through the fast parser (see `_read_fast`); `False` forces the
    reference path (libyaml with node marks) for everything.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [], [_finding("manifest-unreadable", f"cannot read: {exc.strerror or exc}", path)]
    text, problem = _decode(data, path)
    if problem:
        return [], [problem]
    quick = _read_fast(text, path) if fast else None
    resources, findings = quick if quick is not None else _read_reference(text, path)
    if findings and not resources and not _looks_like_kubernetes(text) \
            and all(f.rule in ("manifest-syntax", "manifest-not-object") for f in findings):
        # One verdict for a file that is not YAML (or not manifests) at all, not one per fragment.
        first = findings[0]
        return [], [_finding("manifest-not-yaml", "not a Kubernetes manifest file: " + first.message, path,
                             line=first.origin.line)]
    return resources, findings


_MARKER_END = (b"", b" ", b"\t", b"\r", b"\n")
_SCAN_BLOCK = 1 << 22


def scan_markers(path: str) -> tuple[list[tuple[int, int]], int, bool]:
    """(byte offset, 0-based line) of every `---` line in a file, its size, and whether the text
    before the first marker holds a document. Block reads and C-level searches: fast and flat in
    memory however large the file."""
    found: list[tuple[int, int]] = []
    with open(path, "rb") as fh:
        buf = fh.read(max(_SCAN_BLOCK, 8))
        start = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
        if buf[start:start + 3] == b"---" and buf[start + 3:start + 4] in _MARKER_END:
            found.append((0, 0))
        base = scan_from = lines = 0  # buf[0] is at file offset `base`; `lines` newlines before buf[scan_from]
        eof = len(buf) < max(_SCAN_BLOCK, 8)
        while True:
            at = buf.find(b"\n---", scan_from)
            pending = None
            while at != -1:
                after = buf[at + 4:at + 5]
                if not after and not eof:
                    pending = at  # the byte after "---" is in the next block
                    break
                if after in _MARKER_END:
                    lines += buf.count(b"\n", scan_from, at + 1)
                    scan_from = at + 1
                    found.append((base + at + 1, lines))
                at = buf.find(b"\n---", at + 1)
            if eof:
                break
            keep = pending if pending is not None else max(scan_from, len(buf) - 4)
            lines += buf.count(b"\n", scan_from, keep)
            block = fh.read(_SCAN_BLOCK)
            eof = len(block) < _SCAN_BLOCK
            base += keep
            buf, scan_from = buf[keep:] + block, 0
        size = base + len(buf)
        fh.seek(start)
        head = fh.read(max(0, (found[0][0] if found else min(size, _SCAN_BLOCK)) - start))
    implicit = bool(re.search(rb"^[ \t]*[^\s#%]", head, re.M))
    return found, size, implicit


@dataclass(frozen=True)
class Part:
    """A byte range of a large file, cut at a `---` line, with the line and document it starts at."""

    path: str
    start: int
    end: int
    line_offset: int
    index_offset: int


def split_file(path: str, target: int) -> list[Part]:
    """Cut a large file into ranges of about `target` bytes at document markers, so it can be read
    (and validated in parallel) a range at a time instead of all at once."""
    with open(path, "rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: offsets are not cut points
            return [Part(path, 0, os.fstat(fh.fileno()).st_size, 0, 0)]
    markers, size, implicit = scan_markers(path)
    parts: list[Part] = []
    start = start_line = start_index = 0
    for ordinal, (offset, line) in enumerate(markers):
        if offset - start >= target:
            parts.append(Part(path, start, offset, start_line, start_index))
            start, start_line, start_index = offset, line, ordinal + (1 if implicit else 0)
    parts.append(Part(path, start, size, start_line, start_index))
    return parts


def read_part(part: Part, fast: bool = True) -> tuple[list[Resource], list[Finding]]:
    """Like read_file, for one range of a large file; origins point into the whole file."""
    if part.start == 0 and part.line_offset == 0 and part.index_offset == 0:
        try:
            if os.path.getsize(part.path) == part.end:
                return read_file(part.path, fast)
        except OSError:
            pass
    try:
        with open(part.path, "rb") as fh:
            fh.seek(part.start)
            data = fh.read(part.end - part.start)
    except OSError as exc:
        return [], [_finding("manifest-unreadable", f"cannot read: {exc.strerror or exc}", part.path)]
    text, problem = _decode(data, part.path)
    if problem:
        return [], [replace(problem, origin=replace(problem.origin, line=problem.origin.line + part.line_offset),
                            line=(problem.line or 0) + part.line_offset or None)]
    quick = _read_fast(text, part.path) if fast else None
    resources, findings = quick if quick is not None else _read_reference(text, part.path)

    def moved(origin: Origin) -> Origin:
        return replace(origin, line=origin.line + part.line_offset, doc_index=origin.doc_index + part.index_offset)

    return ([Resource(r.obj, moved(r.origin)) for r in resources],
            [replace(f, origin=moved(f.origin), line=f.line + part.line_offset if f.line else f.line)
             for f in findings])


def _read_reference(text: str, path: str) -> tuple[list[Resource], list[Finding]]:
    resources: list[Resource] = []
    findings: list[Finding] = []
    may_alias = "*" in text  # aliases need an expansion check; most files have none
    for doc_index, node, loader, error in _documents(text):
        if error is not None:
            findings.append(_syntax_finding(error, path, doc_index))
            continue
        _read_document(node, loader, path, doc_index, resources, findings, may_alias)
    return resources, findings


# yaml-rs reads YAML 1.2; libyaml (and the API server's reader) YAML 1.1. Files where that could
# matter take the reference path: checked on the text for what parsing hides (tags, anchors, octal
# numbers, tabs, directives), and on the parsed values for the rest (`_same_as_reference`).
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s*]", re.M)
_COMPLEX_KEY = re.compile(r"^[ \t]*\?(?:[ \t]|$)", re.M)
_EXPONENT = re.compile(r"[0-9][eE][-+]?[0-9]")
_BASE_60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_BOOL_WORDS = frozenset("yes Yes YES no No NO on On ON off Off OFF".split())


def _plain_text(text: str) -> bool:
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


def _same_as_reference(docs: list, text: str) -> bool:
    """False when a parsed value shows a YAML 1.1/1.2 difference: words that 1.1 reads as
    booleans, base-60 numbers, exponents without a dot, non-string or merge keys, Lists."""
    stack = [d for d in docs if type(d) is dict or type(d) is list]
    pop, push, bools, base_60 = stack.pop, stack.append, _BOOL_WORDS, _BASE_60.match
    saw_float = False
    while stack:
        item = pop()
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

try:  # optional speed-up; the reference path reads everything without it
    from yaml_rs import loads as _fast_loads
except ImportError:  # pragma: no cover - depends on the install
    _fast_loads = None


def _read_fast(text: str, path: str) -> tuple[list[Resource], list[Finding]] | None:
    """Plain files (the vast majority) parsed by yaml-rs, about six times faster than building
    PyYAML nodes. None means "use the reference path": the file has a construct where YAML 1.1
    and 1.2 differ, duplicate keys, a syntax error, or a document layout we cannot line up."""
    if _fast_loads is None or not _plain_text(text):
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
        loaded = _fast_loads(text, parse_datetime=False)
    except Exception:  # duplicate keys, syntax errors: the reference path reports them with lines
        return None
    docs = [loaded] if len(starts) <= 1 else loaded
    if not starts:
        docs, starts = ([], []) if loaded is None else ([loaded], [1])
    if not isinstance(docs, list) or len(docs) != len(starts) or not _same_as_reference(docs, text):
        return None
    resources: list[Resource] = []
    findings: list[Finding] = []
    for doc_index, (obj, line) in enumerate(zip(docs, starts)):
        if obj is None:
            continue
        if not isinstance(obj, dict):
            findings.append(_finding("manifest-not-object", f"not a Kubernetes object: the document is a "
                                     f"{_type_name(obj)}, expected a mapping with apiVersion and kind", path,
                                     doc_index, line))
            continue
        _add(obj, Origin(file=path, doc_index=doc_index, line=line), resources, findings)
    return resources, findings


def _looks_like_kubernetes(text: str) -> bool:
    return bool(re.search(r"^(apiVersion|kind)\s*:", text, re.M))


def _documents(text: str, line_offset: int = 0, index_offset: int = 0, split_on_error: bool = True):
    """(doc_index, node, loader, error) per non-empty document; after a syntax error, the rest of the
    file is split at `---` lines and each piece read on its own, so later documents still count."""
    loader = _Loader(text)
    doc_index = index_offset
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
            except yaml.YAMLError as exc:
                yield doc_index, None, loader, _shift(exc, line_offset)
                if split_on_error:
                    yield from _after_error(text, exc, line_offset, doc_index + 1)
                return
            if node is not None and not _is_empty(node):
                if line_offset:
                    _shift_marks(node, line_offset)
                yield doc_index, node, loader, None
            doc_index += 1
    finally:
        loader.dispose()


def _is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null")


def _after_error(text: str, exc: yaml.YAMLError, line_offset: int, next_index: int):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    error_line = mark.line if mark else 0
    starts = [m.start() for m in _DOC_START.finditer(text)]
    line = previous = 0
    for i, pos in enumerate(starts):
        line += text.count("\n", previous, pos)  # running count: linear in the file, not quadratic
        previous = pos
        if line <= error_line:
            continue
        chunk = text[pos:starts[i + 1] if i + 1 < len(starts) else len(text)]
        for index, node, loader, error in _documents(chunk, line_offset + line, next_index, False):
            yield index, node, loader, error
        next_index += 1


class _Shifted(yaml.YAMLError):
    def __init__(self, exc: yaml.YAMLError, offset: int):
        self.problem = getattr(exc, "problem", None) or str(exc)
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        self.line = (mark.line + 1 + offset) if mark else 0
        self.column = (mark.column + 1) if mark else 0
        self.context = getattr(exc, "context", None)


def _shift(exc: yaml.YAMLError, offset: int) -> _Shifted:
    return _Shifted(exc, offset)


def _shift_marks(node: yaml.Node, offset: int) -> None:
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        for name in ("start_mark", "end_mark"):
            mark = getattr(item, name, None)
            if mark is not None:
                setattr(item, name, yaml.Mark(mark.name, mark.index, mark.line + offset, mark.column, None, None))
        if isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                stack.extend((key, value))


def _syntax_finding(error: _Shifted, file: str, doc_index: int) -> Finding:
    where = f"line {error.line}, column {error.column}" if error.line else "unknown position"
    message = f"YAML syntax error at {where}: {error.problem}"
    if error.context:
        message += f" ({error.context})"
    return _finding("manifest-syntax", message, file, doc_index, error.line)


def _expanded_size(node: yaml.Node, limit: int) -> int | None:
    """How many nodes the document expands to through aliases; None for a recursive alias.

    Iterative and memoised per node, so a hostile document costs time linear in its text.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        item, done = stack.pop()
        key = id(item)
        if done:
            on_path.discard(key)
            children = _children(item)
            total = 1 + sum(sizes[id(c)] for c in children)
            sizes[key] = min(total, limit + 1)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return None
        on_path.add(key)
        stack.append((item, True))
        for child in _children(item):
            if id(child) in on_path:
                return None
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _read_document(node: yaml.Node, loader: _Loader, file: str, doc_index: int,
                   resources: list[Resource], findings: list[Finding], may_alias: bool = True) -> None:
    line = node.start_mark.line + 1
    if may_alias and _has_alias(node):
        size = _expanded_size(node, MAX_EXPANDED_NODES)
        if size is None or size > MAX_EXPANDED_NODES:
            what = "a recursive alias" if size is None else f"more than {MAX_EXPANDED_NODES:,} nodes through aliases"
            findings.append(_finding("manifest-alias-limit", f"document refused: it expands to {what}",
                                     file, doc_index, line, hint="write the document out without YAML aliases"))
            return
    builder = _Builder(shared=may_alias)
    try:
        obj = builder.build(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        bad_line = mark.line + 1 if mark else line
        problem = getattr(exc, "problem", None) or str(exc)
        findings.append(_finding("manifest-syntax", f"cannot read document: {problem}", file, doc_index, bad_line))
        return
    for mapping, key, key_line, first_line in builder.duplicates:
        findings.append(_finding("manifest-duplicate-key",
                                 f"duplicate key {key!r} (first on line {first_line}); the API server keeps only "
                                 "the last value", file, doc_index, key_line,
                                 path=format_path(_path_to(node, mapping) + [key]),
                                 resource=_ref(obj), hint="remove one of the two entries", doc_line=line))
    for mapping, key, key_line in builder.odd_keys:
        findings.append(_finding("manifest-key-not-string",
                                 f"key {key} is not a string in YAML; Kubernetes reads it as the string {key!r}",
                                 file, doc_index, key_line, severity="warning",
                                 path=format_path(_path_to(node, mapping) + [key]), resource=_ref(obj),
                                 hint=f"quote the key: \"{key}\"", doc_line=line))
    if not isinstance(obj, dict):
        findings.append(_finding("manifest-not-object", f"not a Kubernetes object: the document is a "
                                 f"{_type_name(obj)}, expected a mapping with apiVersion and kind", file, doc_index, line))
        return
    kind = obj.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list) \
            and (kind == "List" or "metadata" not in obj or "items" in obj):
        items_node = _value_node(node, "items")
        item_nodes = items_node.value if isinstance(items_node, yaml.SequenceNode) else []
        for position, item in enumerate(obj["items"]):
            item_line = item_nodes[position].start_mark.line + 1 if position < len(item_nodes) else line
            _add(item, Origin(file=file, doc_index=doc_index, line=item_line), resources, findings)
        return
    _add(obj, Origin(file=file, doc_index=doc_index, line=line), resources, findings)


def _has_alias(node: yaml.Node) -> bool:
    # Aliases make the node graph share children: cheap check by counting distinct vs visited.
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        key = id(item)
        if key in seen:
            return True
        seen.add(key)
        stack.extend(_children(item))
    return False


def _add(obj: Any, origin: Origin, resources: list[Resource], findings: list[Finding]) -> None:
    if not isinstance(obj, dict):
        findings.append(_finding("manifest-not-object", f"not a Kubernetes object: a {_type_name(obj)}",
                                 origin.file, origin.doc_index, origin.line))
        return
    missing = [k for k in ("apiVersion", "kind") if not isinstance(obj.get(k), str) or not obj.get(k)]
    if missing:
        findings.append(_finding("manifest-missing-kind", f"missing {' and '.join(missing)}: cannot tell what "
                                 "kind of object this is", origin.file, origin.doc_index, origin.line,
                                 resource=_ref(obj), hint="every Kubernetes object starts with apiVersion and kind"))
        return
    resources.append(Resource(obj, origin))


def _ref(obj: Any) -> str:
    return Resource(obj).ref() if isinstance(obj, dict) else ""


def _type_name(obj: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(obj), type(obj).__name__)


def _value_node(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None


def _path_to(root: yaml.Node, target: yaml.Node) -> list:
    """JSON path parts from `root` to the node `target` (by identity)."""
    stack: list[tuple[yaml.Node, list]] = [(root, [])]
    seen: set[int] = set()
    while stack:
        node, parts = stack.pop()
        if node is target:
            return parts
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, parts + [i]) for i, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend((value, parts + [key.value if isinstance(key, yaml.ScalarNode) else "?"])
                         for key, value in node.value)
    return []


def format_path(parts: Sequence[Any]) -> str:
    """`spec.template.spec.containers[0].image`; odd keys in brackets: `metadata.labels["app.kubernetes.io/name"]`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += '["' + str(part).replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return out


@lru_cache(maxsize=8)
def _marker_index(file: str, mtime_ns: int) -> tuple[list[int], list[int], bool]:
    """Byte offset and line (0-based) of each document marker, found once per file, so the
    document holding a line is read alone even in a file of 50,000 documents."""
    with open(file, "rb") as fh:
        utf16 = fh.read(2) in (b"\xff\xfe", b"\xfe\xff")
    markers, size, _ = scan_markers(file)
    offsets = [0] + [offset for offset, _ in markers] + [size]
    lines = [0] + [line for _, line in markers]
    return offsets, lines, utf16


def _document_node(file: str, doc_line: int) -> yaml.Node | None:
    """The composed node of the document starting at `doc_line` (or holding it, for List items):
    only the text between its `---` markers is read and parsed."""
    try:
        offsets, lines, utf16 = _marker_index(file, os.stat(file).st_mtime_ns)
        if utf16:  # no byte offsets to cut at: read it whole (such files are small)
            offsets, lines = [0, offsets[-1]], [0]
        at = bisect.bisect_right(lines, doc_line - 1) - 1
        with open(file, "rb") as fh:
            fh.seek(offsets[at])
            text, problem = _decode(fh.read(offsets[at + 1] - offsets[at]), file)
    except (OSError, ValueError, IndexError):
        return None
    if problem or text is None:
        return None
    for _, node, _, error in _documents(text, lines[at], 0, False):
        if error is None and node.start_mark.line + 1 <= doc_line <= node.end_mark.line + 1:
            return node
    return None


def locate_line(origin: Origin, parts: Sequence[Any]) -> int | None:
    """The line of the JSON path `parts` inside the resource at `origin` (its deepest existing part)."""
    node = _document_node(origin.file, origin.line)
    if node is None:
        return None
    if node.start_mark.line + 1 != origin.line:  # an item of a List: find it by its line
        items = _value_node(node, "items")
        if isinstance(items, yaml.SequenceNode):
            node = next((n for n in items.value if n.start_mark.line + 1 == origin.line), node)
    line = node.start_mark.line + 1
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    found = value_node
                    line = key_node.start_mark.line + 1
            if found is None:
                return line
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
