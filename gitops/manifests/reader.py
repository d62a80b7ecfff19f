"""Reading Kubernetes manifests from files and folders into Resources, never crashing on input.

Every document becomes a Resource (with file, document index and start line) or a Finding that says
why it could not be read: a syntax error with line and column, a file that is not YAML, an alias
bomb, a document that is not an object. Plain files are parsed by yaml-rs (`fastyaml`); anything
else, and every file with a problem, by libyaml with node marks (`yamlnodes`), which reads YAML as
the API server does: unquoted dates stay strings, non-string keys become strings (with a warning),
merge keys are expanded, duplicate keys are reported (the API server silently keeps the last one).
The line of a JSON path is found lazily (`locate_line`), only for documents with findings.
Large files are read a part at a time (`split_file`, `read_part`).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator, Sequence

import yaml

from ..errors import InputError
from ..catalog.builtin import stamp
from ..findings import Finding, Found
from ..safefile import MIB, UnsafeFile, open_regular
from .fastyaml import parse_plain
from .locate import format_path, locate, locate_line, scan_markers
from .resource import Origin, Resource
from .yamlnodes import (Builder, Loader, SyntaxProblem, decode, documents, expanded_size, has_alias, path_to,
                        value_node)

__all__ = ["MANIFEST_SUFFIXES", "MAX_DOCUMENT_BYTES", "MAX_EXPANDED_NODES", "Part", "ReadResult", "format_path", "iter_manifest_files",
           "locate", "locate_line", "read_file", "read_files", "read_part", "read_paths", "scan_markers", "split_file"]

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
# A Kustomization is a build instruction for kustomize, not a Kubernetes resource.
SKIPPED_NAMES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})
# The API server refuses requests over 3 MiB: a document over twice that can never be applied, and
# parsing one whole costs memory in proportion (yaml-rs aborted on 300 MiB under a 4 GiB limit).
# Such a document is a finding, found by scanning for `---` lines; it is never parsed.
MAX_DOCUMENT_BYTES = 6 * MIB
API_SERVER_REQUEST_LIMIT = "3 MiB"
# Files over the document limit are read a part of about this size at a time.
LARGE_FILE_PART = 1 * MIB
# Upper bound on the nodes one document may expand to through aliases (billion laughs guard).
MAX_EXPANDED_NODES = 200_000


@dataclass
class ReadResult:
    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    templates: list[str] = field(default_factory=list)  # files skipped as templates: objects not seen


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
        elif os.path.exists(path):
            yield path  # a FIFO or a device: reading it gives a finding saying which
        else:
            raise InputError("no such file or folder", file=path)


def read_paths(paths: Sequence[str]) -> ReadResult:
    """Every Kubernetes document under `paths` as Resources, and Findings for what could not be read.
    Files that are inputs of Helm or kustomize, not manifests, get one info line each instead."""
    return read_files(iter_manifest_files(paths))


def read_files(files: Iterable[str]) -> ReadResult:
    """`read_paths` for files already listed (e.g. one process's share of them)."""
    result = ReadResult()
    skip = BuildInputs()
    for path in files:
        reason = skip.reason(path)
        if reason:
            result.findings.append(_finding("manifest-skipped", f"skipped: {reason}", path, line=1))
            result.files += 1
            continue
        resources, findings = read_file(path)
        if any(f.rule in _TEMPLATE_SIGNS for f in findings) and is_template(path):
            result.templates.append(path)
            result.findings.append(_finding("manifest-skipped", "skipped: a template with unquoted {{ }} "
                                            "placeholders; render it first and check the output", path, line=1))
            result.files += 1
            continue
        result.resources.extend(resources)
        result.findings.extend(findings)
        result.files += 1
    return result


class BuildInputs:
    """Recognises files that are inputs of a build, not manifests (as kubeconform users skip them):
    a Helm chart's Chart.yaml, requirements and values files and its templates/ (beside a
    Chart.yaml), and the patches, generator files and replacements that a kustomization.yaml in the
    same folder or a folder above names."""

    def __init__(self) -> None:
        self._charts: dict[str, bool] = {}
        self._kustomize: dict[str, dict[str, str]] = {}

    def reason(self, path: str) -> str | None:
        full = os.path.abspath(path)
        folder, name = os.path.split(full)
        if self._is_chart(folder) and (name in _CHART_FILES or re.match(r"^values[\w.-]*\.ya?ml$", name)):
            return "a Helm chart's settings file, not a manifest"
        parent, depth = folder, 0
        while depth < _MAX_DEPTH:
            named = self._kustomize_inputs(parent).get(full)
            if named:
                return named
            parent, part = os.path.split(parent)
            if not part:
                break
            depth += 1
            if part == "templates" and self._is_chart(parent):
                return "a Helm chart template; render it first (helm template) and check the output"
        return None

    def _is_chart(self, folder: str) -> bool:
        if folder not in self._charts:
            self._charts[folder] = os.path.isfile(os.path.join(folder, "Chart.yaml"))
        return self._charts[folder]

    def _kustomize_inputs(self, folder: str) -> dict[str, str]:
        if folder in self._kustomize:
            return self._kustomize[folder]
        named: dict[str, str] = {}
        for candidate in sorted(SKIPPED_NAMES):
            try:
                with open(os.path.join(folder, candidate), "rb") as fh:
                    spec = yaml.safe_load(fh.read(1_000_000))
            except (OSError, yaml.YAMLError, ValueError):
                continue
            if isinstance(spec, dict):
                named.update(_kustomize_inputs(folder, spec))
        self._kustomize[folder] = named
        return named


_TEMPLATE_SIGNS = frozenset({"manifest-key-not-string", "manifest-syntax", "manifest-not-yaml"})
_CHART_FILES = frozenset({"Chart.yaml", "Chart.yml", "Chart.lock", "requirements.yaml", "requirements.lock"})
_MAX_DEPTH = 8  # folders above a file searched for a kustomization that names it


def _kustomize_inputs(folder: str, spec: dict) -> dict[str, str]:
    """Absolute path -> why it is no manifest, for the files a kustomization names as build inputs."""
    out: dict[str, str] = {}

    def note(entry: Any, what: str) -> None:
        path = entry.get("path") if isinstance(entry, dict) else entry
        if isinstance(path, str) and path.endswith(MANIFEST_SUFFIXES) and "://" not in path:
            out[os.path.normpath(os.path.join(folder, path))] = (f"a kustomize {what} named by "
                                                                 f"{os.path.basename(folder)}/kustomization.yaml, "
                                                                 "not a manifest")

    for key, what in (("patches", "patch"), ("patchesStrategicMerge", "patch"), ("patchesJson6902", "patch"),
                      ("replacements", "replacement"), ("transformers", "transformer"),
                      ("generators", "generator"), ("validators", "validator"), ("crds", "CRD input"),
                      ("configurations", "configuration")):
        entries = spec.get(key)
        for entry in entries if isinstance(entries, list) else []:
            note(entry, what)
    for key in ("configMapGenerator", "secretGenerator"):
        generators = spec.get(key)
        for gen in generators if isinstance(generators, list) else []:
            for field_name in ("files", "envs"):
                values = gen.get(field_name) if isinstance(gen, dict) else None
                for value in values if isinstance(values, list) else []:
                    note(value.split("=", 1)[-1] if isinstance(value, str) else value, "generator input")
    return out


# An unquoted `{{ ... }}` as a value or list item: a template (Helm, Jinja, envsubst-like) that
# YAML would read as nested flow mappings.
_PLACEHOLDER = re.compile(r"(?m)^[^#'\"\n]*(?:^|:|-)[ \t]*\{\{[^}\n]*\}\}")


def is_template(path: str) -> bool:
    """Whether a file holds unquoted template placeholders (read again only for files with findings)."""
    try:
        fh, _ = open_regular(path)
        with fh:
            return bool(_PLACEHOLDER.search(fh.read(MAX_TEMPLATE_BYTES).decode("utf-8", "replace")))
    except OSError:
        return False


MAX_TEMPLATE_BYTES = 4_000_000


def _finding(rule: str, message: str, file: str, doc_index: int = 0, line: int = 0,
             hint: str = "", path: str = "", resource: str = "", doc_line: int | None = None,
             column: int | None = None) -> Finding:
    """A reading Finding; its Origin is the document (start line `doc_line`), `line` the exact place."""
    origin = Origin(file=file, doc_index=doc_index, line=line if doc_line is None else doc_line)
    return replace(stamp(Found(None, message, path=path, hint=hint, line=line or None, column=column or None,
                               origin=origin), rule),
                   resource=resource)


# YAML's printable characters, checked as libyaml and go-yaml (kubectl) check them on reading: a
# file with any other character (C0 controls but tab and line breaks, DEL, C1 controls but NEL,
# U+FFFE/FFFF) is refused whole by kubectl, so it is refused here too, whichever parser reads it.
_NOT_YAML_CHARACTER = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _decode(data: bytes, file: str) -> str | Finding:
    """The text of a file, or the finding that says why it is not text (or not YAML text)."""
    text, problem, line = decode(data)
    if problem or text is None:
        return _finding("manifest-not-yaml", problem, file, line=line)
    bad = _NOT_YAML_CHARACTER.search(text)
    if bad:
        at, code = bad.start(), ord(bad.group())
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        return _finding("manifest-syntax", f"control character U+{code:04X} (column {column}): "
                        "YAML readers (kubectl's too) refuse the whole file", file, line=line,
                        hint=f"remove it, or write it escaped in a double-quoted string (\"\\u{code:04x}\")")
    return text


def read_file(path: str, fast: bool = True) -> tuple[list[Resource], list[Finding]]:
    """The Resources and the reading Findings of one file. Never raises on content.

    `fast`: plain documents go through the fast parser (see `_read_fast`); `False` forces the
    reference path (libyaml with node marks) for everything.
    """
    try:
        fh, size = open_regular(path)
    except UnsafeFile as exc:  # a FIFO would block, /dev/zero never ends: only regular files are read
        return [], [_finding("manifest-unreadable", exc.strerror or str(exc), path)]
    except OSError as exc:
        return [], [_finding("manifest-unreadable", f"cannot read: {exc.strerror or exc}", path)]
    try:
        with fh:
            data = fh.read(MAX_DOCUMENT_BYTES + 1) if size <= MAX_DOCUMENT_BYTES else b""
    except OSError as exc:
        return [], [_finding("manifest-unreadable", f"cannot read: {exc.strerror or exc}", path)]
    if size > MAX_DOCUMENT_BYTES or len(data) > MAX_DOCUMENT_BYTES:
        return _read_large(path, fast)
    text = _decode(data, path)
    if isinstance(text, Finding):
        return [], [text]
    resources, findings = _read_text(text, path, fast)
    if findings and not resources and not _looks_like_kubernetes(text) \
            and all(f.rule in ("manifest-syntax", "manifest-not-object") for f in findings):
        # One verdict for a file that is not YAML (or not manifests) at all, not one per fragment.
        first = findings[0]
        return [], [_finding("manifest-not-yaml", "not a Kubernetes manifest file: " + first.message, path,
                             line=first.origin.line)]
    return resources, findings


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
    if part.end - part.start > MAX_DOCUMENT_BYTES:
        return _read_oversized(part, fast)
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
    text = _decode(data, part.path)
    if isinstance(text, Finding):
        return [], [replace(text, origin=replace(text.origin, line=text.origin.line + part.line_offset),
                            line=(text.line or 0) + part.line_offset or None)]
    resources, findings = _read_text(text, part.path, fast)
    return _moved(resources, findings, part.line_offset, part.index_offset)


def _read_large(path: str, fast: bool) -> tuple[list[Resource], list[Finding]]:
    """A file over the document limit, a part at a time (memory stays flat)."""
    resources: list[Resource] = []
    findings: list[Finding] = []
    try:
        parts = split_file(path, LARGE_FILE_PART)
    except OSError as exc:
        return [], [_finding("manifest-unreadable", f"cannot read: {exc.strerror or exc}", path)]
    for part in parts:
        more, problems = read_part(part, fast)
        resources.extend(more)
        findings.extend(problems)
    return resources, findings


def _read_oversized(part: Part, fast: bool) -> tuple[list[Resource], list[Finding]]:
    """A part over the document limit, document by document: the documents over the limit are
    findings (never parsed), the others are read."""
    markers, _, implicit = scan_markers(part.path)
    cuts = [(offset, line) for offset, line in markers if part.start < offset < part.end]
    bounds = [(part.start, part.line_offset), *cuts, (part.end, 0)]
    if part.start == 0 and not implicit and cuts and not any(offset == 0 for offset, _ in markers):
        bounds = bounds[1:]  # only comments before the first `---`: no document there
    resources: list[Resource] = []
    findings: list[Finding] = []
    for index, ((start, line), (end, _)) in enumerate(zip(bounds, bounds[1:]), part.index_offset):
        if end - start > MAX_DOCUMENT_BYTES:
            findings.append(_finding(
                "manifest-unreadable", f"document of {(end - start) / MIB:.1f} MiB: far larger than the API server "
                f"accepts ({API_SERVER_REQUEST_LIMIT} per request); not read", part.path, index, line + 1,
                hint="split it, or keep large data out of manifests (a volume, an image, object storage)"))
            continue
        more, problems = read_part(Part(part.path, start, end, line, index), fast)
        resources.extend(more)
        findings.extend(problems)
    return resources, findings


def _moved(resources: list[Resource], findings: list[Finding], lines: int,
           documents: int) -> tuple[list[Resource], list[Finding]]:
    """Origins of a piece of a file, moved to where the piece starts in the whole file."""
    if not lines and not documents:
        return resources, findings

    def moved(origin: Origin) -> Origin:
        return replace(origin, line=origin.line + lines, doc_index=origin.doc_index + documents)

    return ([Resource(r.obj, moved(r.origin)) for r in resources],
            [replace(f, origin=moved(f.origin), line=f.line + lines if f.line else f.line) for f in findings])


_MARKER_LINE = re.compile(r"^---(?=[ \t\r]|$)", re.M)
_CONTENT = re.compile(r"^[ \t]*[^\s#%]", re.M)


def _read_text(text: str, path: str, fast: bool = True) -> tuple[list[Resource], list[Finding]]:
    """The whole text through the fast parser when it can take it; otherwise each document on its
    own, so one document that needs the reference path (a tab, an anchor, a duplicate key) does not
    send every other document of a large file there too."""
    quick = _read_fast(text, path) if fast else None
    if quick is not None:
        return quick
    starts = [m.start() for m in _MARKER_LINE.finditer(text)] if fast else []
    if len(starts) < 2 or "\n..." in text or "\n%" in text[starts[0]:]:
        return _read_reference(text, path)  # end markers or directives between documents: no cutting
    if not _CONTENT.search(text, 0, starts[0]):
        starts[0] = 0  # comments or directives before the first `---` belong to its document
    elif starts[0]:
        starts.insert(0, 0)
    starts.append(len(text))
    resources: list[Resource] = []
    findings: list[Finding] = []
    line = 0
    for index, (start, end) in enumerate(zip(starts, starts[1:])):
        piece = text[start:end]
        found, problems = _read_one(piece, path, line, index)
        resources += found
        findings += problems
        line += piece.count("\n")
    return resources, findings


def _read_one(text: str, path: str, line: int, index: int) -> tuple[list[Resource], list[Finding]]:
    """One document that starts on line `line` + 1 and is document `index` of its file."""
    quick = _read_fast(text, path)
    if quick is not None:
        return _moved(*quick, line, index)
    # Blank lines in front give libyaml's marks the true line numbers (cheaper than shifting every
    # node's marks afterwards).
    return _read_reference("\n" * line + text, path, index)


def _read_reference(text: str, path: str, index_offset: int = 0) -> tuple[list[Resource], list[Finding]]:
    resources: list[Resource] = []
    findings: list[Finding] = []
    may_alias = "*" in text  # aliases need an expansion check; most files have none
    for doc_index, node, loader, error in documents(text, 0, index_offset):
        if error is not None:
            findings.append(_syntax_finding(error, path, doc_index))
            continue
        _read_document(node, loader, path, doc_index, resources, findings, may_alias)
    return resources, findings


def _read_fast(text: str, path: str) -> tuple[list[Resource], list[Finding]] | None:
    docs = parse_plain(text)
    if docs is None:
        return None
    resources: list[Resource] = []
    findings: list[Finding] = []
    for doc_index, line, obj in docs:
        if not isinstance(obj, dict):
            findings.append(_finding("manifest-not-object", f"not a Kubernetes object: the document is a "
                                     f"{_type_name(obj)}, expected a mapping with apiVersion and kind", path,
                                     doc_index, line))
            continue
        _add(obj, Origin(file=path, doc_index=doc_index, line=line), resources, findings)
    return resources, findings


def _looks_like_kubernetes(text: str) -> bool:
    return bool(re.search(r"^(apiVersion|kind)\s*:", text, re.M))


def _syntax_finding(error: SyntaxProblem, file: str, doc_index: int) -> Finding:
    where = f"line {error.line}, column {error.column}" if error.line else "unknown position"
    message = f"YAML syntax error at {where}: {error.problem}"
    if error.context:
        message += f" ({error.context})"
    return _finding("manifest-syntax", message, file, doc_index, error.line, column=error.column)


def _read_document(node: yaml.Node, loader: Loader, file: str, doc_index: int,
                   resources: list[Resource], findings: list[Finding], may_alias: bool = True) -> None:
    line = node.start_mark.line + 1
    if may_alias and has_alias(node):
        size = expanded_size(node, MAX_EXPANDED_NODES)
        if size is None or size > MAX_EXPANDED_NODES:
            what = "a recursive alias" if size is None else f"more than {MAX_EXPANDED_NODES:,} nodes through aliases"
            findings.append(_finding("manifest-alias-limit", f"document refused: it expands to {what}",
                                     file, doc_index, line, hint="write the document out without YAML aliases"))
            return
    builder = Builder(shared=may_alias)
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
                                 path=format_path(path_to(node, mapping) + [key]),
                                 resource=_ref(obj), hint="remove one of the two entries", doc_line=line))
    for mapping, key, key_line in builder.odd_keys:
        findings.append(_finding("manifest-key-not-string",
                                 f"key {key} is not a string in YAML; Kubernetes reads it as the string {key!r}",
                                 file, doc_index, key_line,
                                 path=format_path(path_to(node, mapping) + [key]), resource=_ref(obj),
                                 hint=f"quote the key: \"{key}\"", doc_line=line))
    if not isinstance(obj, dict):
        findings.append(_finding("manifest-not-object", f"not a Kubernetes object: the document is a "
                                 f"{_type_name(obj)}, expected a mapping with apiVersion and kind", file, doc_index, line))
        return
    kind = obj.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list) \
            and (kind == "List" or "metadata" not in obj or "items" in obj):
        items_node = value_node(node, "items")
        item_nodes = items_node.value if isinstance(items_node, yaml.SequenceNode) else []
        for position, item in enumerate(obj["items"]):
            item_line = item_nodes[position].start_mark.line + 1 if position < len(item_nodes) else line
            _add(item, Origin(file=file, doc_index=doc_index, line=item_line), resources, findings)
        return
    _add(obj, Origin(file=file, doc_index=doc_index, line=line), resources, findings)


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


