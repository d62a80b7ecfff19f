"""The place of a JSON path in a block-style YAML document, read from its lines, without building
YAML nodes.

Composing a document with libyaml to learn where its keys are was most of the cost of giving
findings their lines: it builds a Python node and two marks for every value. Kubernetes manifests
are nearly always plain block YAML (`key: value`, `- item`, `|` text), whose structure shows in the
indentation of its lines. `outline` reads that structure, and answers None for any document with
something it does not model exactly (tabs, anchors, aliases, tags, multi-line quoted or flow values,
explicit keys, keys with escapes or spaces, odd line breaks...); then the caller composes the
document with libyaml as before. `place` answers the same (line, column) as walking composed nodes
(`locate.place_in`): tests/test_blockpaths.py compares the two on every path of many documents.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

__all__ = ["outline", "place"]

# A key: plain (no spaces, no indicator first, no ": " or " #" inside), or quoted without escapes.
_KEY = re.compile(r"""(?:([^\s\-?:,\[\]{}#&*!|>'"%@`](?:[^\s:#]|:(?=[^\s]))*)|"([^"\\\n]*)"|'((?:[^'\n]|'')*)') *:(?: +|$)""")
_BLOCK_SCALAR = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?(?: +#.*| *)$")
_ODD = re.compile("[\t\r\x85\u2028\u2029\ufeff]")  # tabs, and line breaks Python's split does not see
_SAFE_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._$~^(+=<")  # plain text
_LEAF = "leaf"  # a scalar: a path cannot go deeper
_FLOW = "flow"  # a one-line [..] or {..}: a path into it needs the composed document


class _Map:
    __slots__ = ("line", "indent", "entries", "last")

    def __init__(self, line: int, indent: int):
        self.line, self.indent = line, indent
        self.entries: dict[str, list] = {}  # key -> [line, column, value]; a repeated key: the last one
        self.last: list | None = None


class _Seq:
    __slots__ = ("indent", "items")

    def __init__(self, indent: int):
        self.indent = indent
        self.items: list[list] = []  # [line, column, value]; line None: an empty item (no place)


def _closed(text: str, at: int) -> int:
    """The index after the quoted scalar or flow collection starting at text[at], or -1 when it
    does not end on this line."""
    opener = text[at]
    if opener == '"':
        i = at + 1
        while i < len(text):
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                return i + 1
            i += 1
        return -1
    if opener == "'":
        i = at + 1
        while True:
            i = text.find("'", i)
            if i == -1:
                return -1
            if text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i + 1
    depth, i = 0, at
    while i < len(text):
        ch = text[i]
        if ch in "\"'" and text[i - 1] in "[{, :":  # a quoted scalar inside: skip it
            end = _closed(text, i)
            if end == -1:
                return -1
            i = end
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "#" and text[i - 1] == " ":
            return -1  # a comment inside: the collection goes on on the next line
        i += 1
    return -1


def _value(text: str, at: int) -> Any:
    """What a value starting at text[at] is, when it is all on this line: a leaf, a flow collection,
    None (nothing here: the value follows on the next lines) or False (something not modelled)."""
    if at >= len(text) or text[at] == "#":
        return None
    ch = text[at]
    if ch in "\"'[{":
        end = _closed(text, at)
        if end == -1:
            return False
        rest = text[end:].lstrip(" ")
        if rest and rest[0] != "#":
            return False
        return _FLOW if ch in "[{" else _LEAF
    if ch in "|>":
        return _LEAF if _BLOCK_SCALAR.match(text, at) else False
    if ch in "-?:" and (at + 1 == len(text) or text[at + 1] == " "):
        return False  # an indicator; else a plain scalar goes on right after it (-1, :x)
    if ch in "&*!%@`,]}":
        return False  # anchors, aliases, tags, reserved characters
    comment = text.find(" #", at)
    plain = text[at:comment] if comment != -1 else text[at:]
    if ": " in plain or plain.rstrip(" ").endswith(":"):
        return False  # a key this module does not read (spaces, `#`...): a mapping, not text
    return _LEAF


def _dash(line: str, at: int) -> bool:
    return line[at] == "-" and (at + 1 == len(line) or line[at + 1] == " ")


def outline(text: str, first_line: int) -> _Map | None:
    """The structure of the one document in `text` (lines counted from 0), or None when the
    document is not plain block YAML this module models, or does not start at `first_line`.
    (A hot loop: written for speed, one pass over the lines, few calls per line.)"""
    if _ODD.search(text):
        return None
    lines = text.split("\n")
    root = _start(lines, first_line)
    if root is None:
        return None
    stack: list[Any] = [root]  # open collections, innermost last
    indents = [root.indent]  # their indentation (a list: faster than attributes in the loop)
    pending: list | None = None  # [line, column, value] whose value starts on a later line
    pending_indent = 0  # that value's lines are indented more than this
    skip_above = -1  # lines indented more than this belong to the last value (more of its text)
    key_match, safe = _KEY.match, _SAFE_START
    for number in range(first_line, len(lines)):
        line = lines[number]
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        if skip_above >= 0:
            if indent > skip_above:
                continue
            skip_above = -1
        dash = content[0] == "-" and (len(content) == 1 or content[1] == " ")
        if indent == 0 and content.startswith(("---", "...")) and number != first_line:
            return None  # another document or an end marker
        if pending is not None:
            if indent > pending_indent:  # the pending value starts on this line
                top = _Seq(indent) if dash else _Map(number, indent)
                if pending[0] is None:  # an item: placed where its value starts
                    pending[0], pending[1] = number, indent
                pending[2] = top
                stack.append(top)
                indents.append(indent)
            elif dash and indent == pending_indent and type(stack[-1]) is _Map and stack[-1].last is pending:
                top = _Seq(indent)  # a sequence at its key's indentation
                pending[2] = top
                stack.append(top)
                indents.append(indent)
            else:
                pending[2] = None if pending[0] is None else _LEAF  # empty
            pending = None
        while indent < indents[-1]:
            stack.pop()
            indents.pop()
            if not stack:
                return None
        top = stack[-1]
        if indent != indents[-1]:
            return None
        if not dash and type(top) is _Seq:
            stack.pop()  # a key after a sequence at its key's indentation ends the sequence
            indents.pop()
            if not stack or indents[-1] != indent:
                return None
            top = stack[-1]
        column = indent
        while type(top) is _Seq:
            if not (line[column] == "-" and (column + 1 == len(line) or line[column + 1] == " ")):
                return None
            item: list = [number, column, None]
            top.items.append(item)
            column += 1
            while column < len(line) and line[column] == " ":
                column += 1
            if column >= len(line) or line[column] == "#":
                item[0] = None
                pending, pending_indent = item, top.indent
                break
            item[1] = column
            if line[column] == "-" and (column + 1 == len(line) or line[column + 1] == " "):
                top = _Seq(column)
            elif key_match(line, column):
                top = _Map(number, column)
            else:
                kind = _value(line, column)
                if kind is None or kind is False:
                    return None
                item[2] = kind
                skip_above = top.indent
                break
            item[2] = top
            stack.append(top)
            indents.append(column)
        else:
            found = key_match(line, column)
            if found is None or type(top) is not _Map:
                return None
            plain, double, single = found.groups()
            key = plain if plain is not None else double if double is not None else single.replace("''", "'")
            entry: list = [number, column, None]
            top.entries[key] = entry
            top.last = entry
            at = found.end()
            if at == len(line):
                pending, pending_indent = entry, column
                continue
            rest = line[at:]
            if rest[0] in safe and ": " not in rest and rest[-1] != ":":
                entry[2] = _LEAF  # the common case: plain text
            else:
                kind = _value(line, at)
                if kind is False:
                    return None
                if kind is None:
                    pending, pending_indent = entry, column
                    continue
                entry[2] = kind
            skip_above = column
    if pending is not None:
        pending[2] = None if pending[0] is None else _LEAF
    return root


def _start(lines: list[str], first_line: int) -> _Map | None:
    """The root mapping, when the document's first content line is `first_line` (after at most
    comments and a bare `---` marker)."""
    for number, line in enumerate(lines):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        if number == first_line:
            if content.startswith(("---", "...", "%")) or not _KEY.match(line, len(line) - len(content)):
                return None
            return _Map(number, len(line) - len(content))
        if content.startswith("---") and (len(content) == 3 or content[3] == " ") \
                and _value(content, len(content) - len(content[3:].lstrip(" "))) is None:
            continue  # the document's start marker
        return None
    return None


def place(root: _Map, parts: Sequence[Any]) -> tuple[int, int] | None:
    """(line, column), 0-based, of the JSON path `parts` in the document (its deepest existing
    part), as walking its composed nodes gives it; None when only the composed nodes can tell."""
    node: Any = root
    mark = (root.line, root.indent)
    for part in parts:
        if type(node) is _Map:
            entry = node.entries.get(str(part))
            if entry is None:
                break
            mark, node = (entry[0], entry[1]), entry[2]
        elif type(node) is _Seq:
            if not (isinstance(part, int) and 0 <= part < len(node.items)):
                break
            item = node.items[part]
            if item[0] is None:
                return None
            mark, node = (item[0], item[1]), item[2]
        elif node is _FLOW:
            return None
        else:
            break
    return mark
