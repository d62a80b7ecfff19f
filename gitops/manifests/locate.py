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

from .resource import Origin
from .yamlnodes import decode, documents, value_node

__all__ = ["format_path", "locate", "locate_line", "scan_markers"]

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


def document_node(file: str, doc_line: int) -> yaml.Node | None:
    """The composed node of the document starting at `doc_line` (or holding it, for List items):
    only the text between its `---` markers is read and parsed."""
    try:
        mtime = os.stat(file).st_mtime_ns
        offsets, lines, utf16 = marker_index(file, mtime)
        if utf16:  # no byte offsets to cut at: read it whole (such files are small)
            offsets, lines = array("q", [0, offsets[-1]]), array("q", [0])
        at = bisect.bisect_right(lines, doc_line - 1) - 1
        nodes = _nodes_between(file, mtime, offsets[at], offsets[at + 1], lines[at])
    except (OSError, ValueError, IndexError):
        return None
    for node in nodes:
        if node.start_mark.line + 1 <= doc_line <= node.end_mark.line + 1:
            return node
    return None


@lru_cache(maxsize=16)
def _nodes_between(file: str, mtime_ns: int, start: int, end: int, line: int) -> tuple[yaml.Node, ...]:
    """The documents composed from one stretch of a file; kept for the next findings of the same
    document (a document with ten findings is parsed once, not ten times)."""
    with open(file, "rb") as fh:
        fh.seek(start)
        text, problem, _ = decode(fh.read(end - start))
    if problem or text is None:
        return ()
    return tuple(node for _, node, _, error in documents(text, line, 0, False) if error is None)


def locate_line(origin: Origin, parts: Sequence[Any]) -> int | None:
    """The line of the JSON path `parts` inside the resource at `origin` (its deepest existing part)."""
    place = locate(origin, parts)
    return place[0] if place else None


def locate(origin: Origin, parts: Sequence[Any]) -> tuple[int, int] | None:
    """(line, column), both 1-based, of the JSON path `parts` inside the resource at `origin`: its key
    (or list item), or the deepest part of the path that exists."""
    node = document_node(origin.file, origin.line)
    if node is None:
        return None
    if node.start_mark.line + 1 != origin.line:  # an item of a List: find it by its line
        items = value_node(node, "items")
        if isinstance(items, yaml.SequenceNode):
            node = next((n for n in items.value if n.start_mark.line + 1 == origin.line), node)
    mark = node.start_mark
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key_node, child in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
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
    return mark.line + 1, mark.column + 1
