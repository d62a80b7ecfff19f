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

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Sequence

import yaml

from ..errors import InputError
from ..findings import Finding
from .resource import Origin, Resource

__all__ = ["ReadResult", "read_paths", "read_file", "iter_manifest_files", "locate_line", "format_path",
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


class _Loader(yaml.CSafeLoader):
    """libyaml parser; constructors that read values as the API server's YAML-to-JSON step does."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[tuple[yaml.Node, str, int, int]] = []  # mapping, key, line, first line
        self.odd_keys: list[tuple[yaml.Node, str, int]] = []  # mapping, key as read, line

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        own = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.tag != _MERGE]
        if len(own) != len(set(own)):
            first: dict[str, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                    continue
                line = key_node.start_mark.line + 1
                if key_node.value in first:
                    self.duplicates.append((node, key_node.value, line, first[key_node.value]))
                else:
                    first[key_node.value] = line
        self.flatten_mapping(node)
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if type(key) is not str:
                # Converted before insertion: in Python, 1 and True would be the same key.
                key = _json_key(key)
                self.odd_keys.append((node, key, key_node.start_mark.line + 1))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_MERGE = "tag:yaml.org,2002:merge"


def _json_key(key: Any) -> str:
    if isinstance(key, (list, dict, tuple)):
        return repr(key)
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def _scalar_text(loader: _Loader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)


def _pairs_as_maps(loader: _Loader, node: yaml.Node) -> list:
    return [loader.construct_mapping(item) if isinstance(item, yaml.MappingNode) else loader.construct_object(item)
            for item in node.value]


def _set_as_map(loader: _Loader, node: yaml.Node) -> dict:
    return loader.construct_mapping(node)


# The API server keeps `2024-01-01` and `!!binary` as the text written; sets and ordered maps
# become JSON objects and lists (Python sets and tuples would not survive schema validation).
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_text)
_Loader.add_constructor("tag:yaml.org,2002:binary", _scalar_text)
_Loader.add_constructor("tag:yaml.org,2002:set", _set_as_map)
_Loader.add_constructor("tag:yaml.org,2002:omap", _pairs_as_maps)
_Loader.add_constructor("tag:yaml.org,2002:pairs", _pairs_as_maps)


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


def read_file(path: str) -> tuple[list[Resource], list[Finding]]:
    """The Resources and the reading Findings of one file. Never raises on content."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [], [_finding("manifest-unreadable", f"cannot read: {exc.strerror or exc}", path)]
    text, problem = _decode(data, path)
    if problem:
        return [], [problem]
    resources: list[Resource] = []
    findings: list[Finding] = []
    may_alias = "*" in text  # aliases need an expansion check; most files have none
    for doc_index, node, loader, error in _documents(text):
        if error is not None:
            findings.append(_syntax_finding(error, path, doc_index))
            continue
        _read_document(node, loader, path, doc_index, resources, findings, may_alias)
    if findings and not resources and not _looks_like_kubernetes(text) \
            and all(f.rule in ("manifest-syntax", "manifest-not-object") for f in findings):
        # One verdict for a file that is not YAML (or not manifests) at all, not one per fragment.
        first = findings[0]
        return [], [_finding("manifest-not-yaml", "not a Kubernetes manifest file: " + first.message, path,
                             line=first.origin.line)]
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
    for pos in starts:
        start_line = text.count("\n", 0, pos)
        if start_line <= error_line:
            continue
        end = next((p for p in starts if p > pos), len(text))
        chunk = text[pos:end]
        for index, node, loader, error in _documents(chunk, line_offset + start_line, next_index, False):
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
    loader.duplicates.clear()
    loader.odd_keys.clear()
    try:
        obj = loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        bad_line = mark.line + 1 if mark else line
        problem = getattr(exc, "problem", None) or str(exc)
        findings.append(_finding("manifest-syntax", f"cannot read document: {problem}", file, doc_index, bad_line))
        return
    for mapping, key, key_line, first_line in loader.duplicates:
        findings.append(_finding("manifest-duplicate-key",
                                 f"duplicate key {key!r} (first on line {first_line}); the API server keeps only "
                                 "the last value", file, doc_index, key_line,
                                 path=format_path(_path_to(node, mapping) + [key]),
                                 resource=_ref(obj), hint="remove one of the two entries", doc_line=line))
    for mapping, key, key_line in loader.odd_keys:
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


@lru_cache(maxsize=16)
def _composed(file: str, mtime_ns: int) -> dict[int, yaml.Node]:
    try:
        with open(file, "rb") as fh:
            text, problem = _decode(fh.read(), file)
    except OSError:
        return {}
    if problem or text is None:
        return {}
    return {index: node for index, node, _, error in _documents(text) if error is None}


def locate_line(origin: Origin, parts: Sequence[Any]) -> int | None:
    """The line of the JSON path `parts` inside the resource at `origin` (its deepest existing part)."""
    try:
        nodes = _composed(origin.file, os.stat(origin.file).st_mtime_ns)
    except OSError:
        return None
    node = nodes.get(origin.doc_index)
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
