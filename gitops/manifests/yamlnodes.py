"""The reference YAML path: libyaml (PyYAML's C parser) to nodes with marks, nodes to values.

Values are read as the API server's YAML-to-JSON step reads them (YAML 1.1): unquoted dates and
`!!binary` stay the text written, merge keys are expanded, non-string keys become strings (noted,
so the reader can warn), duplicate keys are noted. Nodes keep their line and column, which is
what line numbers of findings and syntax errors come from.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import yaml

__all__ = ["Builder", "Loader", "SyntaxProblem", "decode", "documents", "expanded_size", "has_alias",
           "path_to", "value_node"]

_DOC_START = re.compile(r"^---(?=[ \t]|$)", re.M)
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_resolved: dict[str, str] = {}  # plain scalar text -> tag; keys and values repeat across documents


class Loader(yaml.CSafeLoader):
    """libyaml parser; the tag of each plain scalar is resolved once per distinct text."""

    def resolve(self, kind, value, implicit):
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
_SCALAR: dict[str, Callable[[Any], Any]] = {
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


class Builder:
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
        value: Any
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

    def mapping(self, node: yaml.Node) -> dict:
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


def decode(data: bytes) -> tuple[str | None, str, int]:
    """(text, problem, line of the problem): UTF-8 with or without a byte-order mark, or UTF-16."""
    if b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "not a YAML file (binary content)", 1
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), "", 0
        return data.decode("utf-8-sig"), "", 0
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start})", data[:exc.start].count(b"\n") + 1


def documents(text: str, line_offset: int = 0, index_offset: int = 0, split_on_error: bool = True):
    """(doc_index, node, loader, error) per non-empty document; after a syntax error, the rest of the
    file is split at `---` lines and each piece read on its own, so later documents still count."""
    loader = Loader(text)
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
                    yield from after_error(text, exc, line_offset, doc_index + 1)
                return
            if node is not None and not is_empty(node):
                if line_offset:
                    shift_marks(node, line_offset)
                yield doc_index, node, loader, None
            doc_index += 1
    finally:
        loader.dispose()


def is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null")


def after_error(text: str, exc: yaml.YAMLError, line_offset: int, next_index: int):
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
        for index, node, loader, error in documents(chunk, line_offset + line, next_index, False):
            yield index, node, loader, error
        next_index += 1


class SyntaxProblem(yaml.YAMLError):
    def __init__(self, exc: yaml.YAMLError, offset: int):
        self.problem = getattr(exc, "problem", None) or str(exc)
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        self.line = (mark.line + 1 + offset) if mark else 0
        self.column = (mark.column + 1) if mark else 0
        self.context = getattr(exc, "context", None)


def _shift(exc: yaml.YAMLError, offset: int) -> SyntaxProblem:
    return SyntaxProblem(exc, offset)


def shift_marks(node: yaml.Node, offset: int) -> None:
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
                setattr(item, name, yaml.Mark(mark.name, mark.index, mark.line + offset, mark.column, None, 0))
        if isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                stack.extend((key, value))


def expanded_size(node: yaml.Node, limit: int) -> int | None:
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
            total = 1 + sum(sizes[id(c)] for c in children(item))
            sizes[key] = min(total, limit + 1)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return None
        on_path.add(key)
        stack.append((item, True))
        for child in children(item):
            if id(child) in on_path:
                return None
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(node)]


def children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def has_alias(node: yaml.Node) -> bool:
    # Aliases make the node graph share children: cheap check by counting distinct vs visited.
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        key = id(item)
        if key in seen:
            return True
        seen.add(key)
        stack.extend(children(item))
    return False


def value_node(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None


def path_to(root: yaml.Node, target: yaml.Node) -> list:
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
