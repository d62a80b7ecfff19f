"""Where things are in manifest files: document markers found at C speed in files of any size,
and the line of a JSON path inside one document (found lazily, for documents with findings)."""
from __future__ import annotations

import bisect
import os
import re
from array import array
from functools import lru_cache
from typing import Any, Sequence

import yaml

from . import blockpaths
from .resource import Origin
from .yamlnodes import decode, value_node

__all__ = ["Document", "document", "format_path", "locate", "locate_line", "place_in", "scan_markers"]

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
_MARKER_END = (b"", b" ", b"\t", b"\r", b"\n")
_SCAN_BLOCK = 1 << 20


class Markers:
    """Byte offset and 0-based line of every `---` line of a file, kept in compact arrays (a file
    of 50,000 documents costs 800 KB, not the 7 MB of a list of tuples)."""

    def __init__(self) -> None:
        self.offsets = array("q")
        self.lines = array("q")

    def append(self, item: tuple[int, int]) -> None:
        self.offsets.append(item[0])
        self.lines.append(item[1])

    def __len__(self) -> int:
        return len(self.offsets)

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self.offsets[index], self.lines[index]

    def __iter__(self):
        return zip(self.offsets, self.lines)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, Markers)) else NotImplemented


def scan_markers(path: str) -> tuple[Markers, int, bool]:
    """The `---` lines of a file (`Markers`), its size, and whether the text before the first
    marker holds a document. Block reads and C-level searches: fast and flat in memory however
    large the file."""
    found = Markers()
    with open(path, "rb") as fh:
        # never more than the file holds: read(n) sets aside n bytes first, a megabyte per small file
        first = max(min(_SCAN_BLOCK, os.fstat(fh.fileno()).st_size + 1), 8)
        buf = fh.read(first)
        start = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
        if buf[start:start + 3] == b"---" and buf[start + 3:start + 4] in _MARKER_END:
            found.append((0, 0))
        base = scan_from = lines = 0  # buf[0] is at file offset `base`; `lines` newlines before buf[scan_from]
        eof = len(buf) < first
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


_PATH_PART = re.compile(r'([^.\[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[([^\]]*)\]')


def parse_path(path: str) -> list[str | int]:
    """The inverse of `format_path`, also for the API server's `limits[cpu]` style:
    `spec.containers[0].resources.limits[cpu]` -> ["spec", "containers", 0, "resources", "limits", "cpu"]."""
    parts: list[str | int] = []
    for key, index, quoted, bracketed in _PATH_PART.findall(path):
        if index:
            parts.append(int(index))
        else:
            parts.append(key or (quoted.replace('\\"', '"').replace("\\\\", "\\") if quoted else bracketed))
    return parts


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
def marker_index(file: str, mtime_ns: int) -> tuple[array, array, bool]:
    """Byte offset and line (0-based) of each document marker, found once per file, so the
    document holding a line is read alone even in a file of 50,000 documents."""
    with open(file, "rb") as fh:
        utf16 = fh.read(2) in (b"\xff\xfe", b"\xfe\xff")
    markers, size, _ = scan_markers(file)
    offsets = array("q", [0]) + markers.offsets + array("q", [size])
    lines = array("q", [0]) + markers.lines
    return offsets, lines, utf16


class Document:
    """One document of a file, ready to say where a JSON path is in it: from its lines when it is
    plain block YAML (`blockpaths`), else from its nodes composed by libyaml."""

    __slots__ = ("file", "mtime", "start", "end", "shift", "line")

    def __init__(self, file: str, mtime: int, start: int, end: int, shift: int, line: int):
        self.file, self.mtime, self.start, self.end = file, mtime, start, end
        self.shift = shift  # lines of the file before the stretch it is read from
        self.line = line  # the 1-based line the resource starts on

    def place(self, parts: Sequence[Any]) -> tuple[int, int] | None:
        """(line, column), both 1-based, of the path `parts` (see `locate`)."""
        tree = _outline_between(self.file, self.mtime, self.start, self.end, self.line - 1 - self.shift)
        if tree is not None:
            found = blockpaths.place(tree, parts)
            if found is not None:
                return found[0] + 1 + self.shift, found[1] + 1
        for node in _nodes_between(self.file, self.mtime, self.start, self.end):
            if node.start_mark.line + 1 + self.shift <= self.line <= node.end_mark.line + 1 + self.shift:
                return place_in((node, self.shift), self.line, parts)
        return None


def document(file: str, doc_line: int) -> Document | None:
    """The document starting at `doc_line` (or holding it, for List items): only the text between
    its `---` markers is read, and only when a place in it is asked for."""
    try:
        mtime = os.stat(file).st_mtime_ns
        offsets, lines, utf16 = marker_index(file, mtime)
    except (OSError, ValueError):
        return None
    if utf16:  # no byte offsets to cut at: read it whole (such files are small)
        offsets, lines = array("q", [0, offsets[-1]]), array("q", [0])
    at = bisect.bisect_right(lines, doc_line - 1) - 1
    if at < 0 or at + 1 >= len(offsets):
        return None
    return Document(file, mtime, offsets[at], offsets[at + 1], lines[at], doc_line)


class _Untagged(yaml.CSafeLoader):
    """Nodes for their marks only: no tags are resolved (PyYAML resolves each new plain scalar with
    a list of regular expressions in Python, which was most of the cost of finding lines)."""

    def resolve(self, kind, value, implicit):
        return ""

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


@lru_cache(maxsize=16)
def _text_between(file: str, mtime_ns: int, start: int, end: int) -> str | None:
    with open(file, "rb") as fh:
        fh.seek(start)
        text, problem, _ = decode(fh.read(end - start))
    return None if problem else text


@lru_cache(maxsize=16)
def _outline_between(file: str, mtime_ns: int, start: int, end: int, first_line: int) -> Any:
    try:
        text = _text_between(file, mtime_ns, start, end)
    except OSError:
        return None
    return blockpaths.outline(text, first_line) if text is not None else None


@lru_cache(maxsize=16)
def _nodes_between(file: str, mtime_ns: int, start: int, end: int) -> tuple[yaml.Node, ...]:
    """The documents composed from one stretch of a file, their marks counted from its start; kept
    for the next findings of the same document (a document with ten findings is parsed once)."""
    try:
        text = _text_between(file, mtime_ns, start, end)
    except OSError:
        return ()
    if text is None:
        return ()
    nodes: list[yaml.Node] = []
    loader = _Untagged(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            # an empty document (`---` alone, `~`, `null`) holds no resource
            if node is not None and not (isinstance(node, yaml.ScalarNode) and node.style == ""
                                         and node.value in ("", "~", "null")):
                nodes.append(node)
    except yaml.YAMLError:
        pass  # the documents before the error still count
    finally:
        loader.dispose()
    return tuple(nodes)


def locate_line(origin: Origin, parts: Sequence[Any]) -> int | None:
    """The line of the JSON path `parts` inside the resource at `origin` (its deepest existing part)."""
    place = locate(origin, parts)
    return place[0] if place else None


def locate(origin: Origin, parts: Sequence[Any]) -> tuple[int, int] | None:
    """(line, column), both 1-based, of the JSON path `parts` inside the resource at `origin`: its key
    (or list item), or the deepest part of the path that exists."""
    found = document(origin.file, origin.line)
    return found.place(parts) if found is not None else None


def place_in(composed: tuple[yaml.Node, int], line: int, parts: Sequence[Any]) -> tuple[int, int]:
    """`locate` inside a composed document (and the number of lines before the text it was
    composed from), for the resource starting at `line`."""
    node, shift = composed
    if node.start_mark.line + 1 + shift != line:  # an item of a List: find it by its line
        items = value_node(node, "items")
        if isinstance(items, yaml.SequenceNode):
            node = next((n for n in items.value if n.start_mark.line + 1 + shift == line), node)
    mark = node.start_mark
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            found = None
            key = str(part)
            for key_node, child in node.value:
                if key_node.value == key and isinstance(key_node, yaml.ScalarNode):
                    found = child
                    mark = key_node.start_mark
            if found is None:
                break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return mark.line + 1 + shift, mark.column + 1
