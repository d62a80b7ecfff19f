"""YAML reading with line numbers (for config and policy files) and deterministic writing."""
from __future__ import annotations

import json
import re
from typing import Any

import yaml

from .errors import InputError
from .safefile import MIB, UnsafeFile, read_regular

# Settings files (config, policies, waivers) are small; a larger one is refused, not read.
SETTINGS_FILE_LIMIT = 16 * MIB

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Kubernetes readers expect these first, in this order; everything else follows sorted.
_TOP_ORDER = ("apiVersion", "kind", "metadata", "spec", "data", "stringData", "binaryData", "type",
              "immutable", "rules", "roleRef", "subjects", "secrets", "status")
_META_ORDER = ("name", "generateName", "namespace", "labels", "annotations")


class Located(dict):
    """A mapping that remembers the line of each key (1-based), its own line, and each plain
    scalar value as written (`1.30` reads as the number 1.3; messages should show what was written)."""

    line: int = 0
    key_lines: dict
    written: dict


def written_as(mapping: Any, key: str) -> str | None:
    """The text of `key`'s value as the file wrote it, when it is a scalar."""
    return getattr(mapping, "written", {}).get(key) if isinstance(mapping, Located) else None


def _rank(order: tuple[str, ...]):
    index = {k: i for i, k in enumerate(order)}
    return lambda k: (index.get(k, len(order)), str(k))


_top_rank, _meta_rank = _rank(_TOP_ORDER), _rank(_META_ORDER)
_plain_rank = _rank(("name",))


def ordered(obj: Any, _depth: int = 0, _parent: str = "") -> Any:
    """A copy of a Kubernetes object with keys in a fixed, readable order."""
    if isinstance(obj, dict):
        rank = _top_rank if _depth == 0 else _meta_rank if _parent in ("metadata",) else _plain_rank
        return {k: ordered(obj[k], _depth + 1, k) for k in sorted(obj, key=rank)}
    if isinstance(obj, list):
        return [ordered(v, _depth + 1, _parent) for v in obj]
    return obj


def dump(obj: Any) -> str:
    """Deterministic block YAML of an already ordered object (JSON-like values only).

    A small emitter of our own: PyYAML's representer was 85% of rendering time (profiled), and
    the output of plain data needs only block mappings, block sequences and careful scalars.
    """
    out: list[str] = []
    _emit(obj, 0, out)
    return "".join(out)


_resolver = yaml.resolver.Resolver()
# Safe to leave unquoted: a harmless first character, then printable ASCII (": " and " #" are
# refused separately); everything else is quoted.
_PLAIN = re.compile(r"^(?:[A-Za-z0-9_./$(]|-(?=[^ ]))[\x20-\x7e]*$")
# Numbers as YAML 1.2 readers (Go's yaml, kubectl) see them, which YAML 1.1's resolver misses.
_NUMBER_12 = re.compile(r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")
_SCALAR_CACHE: dict[str, str] = {}
# Characters written escaped inside double quotes: besides C0 controls (JSON escapes them), those
# YAML readers refuse raw or read as line breaks: DEL, C1 controls (NEL among them), LS, PS, BOM,
# U+FFFE/FFFF. Escaped, every YAML reader (1.1 or 1.2, libyaml, go-yaml) reads the same value.
_ESCAPE_MORE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# What cannot be delivered at all: kustomize (kubectl 1.32, Argo CD, Flux) refuses DEL, C1
# controls and U+FFFE/FFFF even escaped ("control characters are not allowed") and turns an
# escaped NEL into a space; a lone surrogate is not Unicode and no YAML or JSON reader takes it.
UNDELIVERABLE = re.compile("[\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


class UndeliverableValue(ValueError):
    """A string that no manifest can carry to a cluster through kustomize; `path` is where it is."""

    def __init__(self, text: str, char: str):
        self.text, self.char = text, char
        self.path: list[str | int] = []
        super().__init__(f"U+{ord(char):04X}")

    def describe(self) -> str:
        shown = text if len(text := self.text) <= 60 else text[:57] + "..."
        where = ".".join(str(p) for p in self.path) or "a value"
        return (f"{where}: {shown!r} holds the character U+{ord(self.char):04X}, which kustomize (and so "
                "Argo CD and Flux) refuses or changes; remove it, or carry the value base64-encoded")


def scalar(value: Any) -> str:
    """One scalar as YAML that every reader (YAML 1.1 and 1.2) reads back as the same value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else json.dumps(str(value))
    text = str(value)
    cached = _SCALAR_CACHE.get(text)
    if cached is None:
        bad = UNDELIVERABLE.search(text)
        if bad:
            raise UndeliverableValue(text, bad.group())
        cached = _quote(text)
        if len(_SCALAR_CACHE) < 100_000:
            _SCALAR_CACHE[text] = cached
    return cached


def _quote(text: str) -> str:
    plain = (_PLAIN.fullmatch(text) is not None and not text.endswith((" ", ":")) and ": " not in text
             and " #" not in text and not _NUMBER_12.fullmatch(text) and _resolver.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
             and text.lower() not in ("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"))
    if plain:
        return text
    if text.isprintable() and "\\" not in text:
        return "'" + text.replace("'", "''") + "'"
    return _ESCAPE_MORE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            out.append(pad + "{}\n")
            return
        for key, item in value.items():
            try:
                head = f"{pad}{scalar(key)}:"
                if isinstance(item, dict) and item:
                    out.append(head + "\n")
                    _emit(item, indent + 2, out)
                elif isinstance(item, list) and item:
                    out.append(head + "\n")
                    _emit(item, indent, out)
                else:
                    out.append(f"{head} {_inline(item)}\n")
            except UndeliverableValue as exc:
                exc.path.insert(0, key)
                raise
        return
    if isinstance(value, list):
        if not value:
            out.append(pad + "[]\n")
            return
        for position, item in enumerate(value):
            try:
                _emit_item(item, pad, indent, out)
            except UndeliverableValue as exc:
                exc.path.insert(0, position)
                raise
        return
    out.append(pad + _inline(value) + "\n")


def _emit_item(item: Any, pad: str, indent: int, out: list[str]) -> None:
    if isinstance(item, (dict, list)) and item:
        inner: list[str] = []
        _emit(item, indent + 2, inner)
        first = inner[0]
        inner[0] = pad + "- " + first[indent + 2:]
        out.extend(inner)
    else:
        out.append(f"{pad}- {_inline(item)}\n")


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def dump_all(docs: list[Any]) -> str:
    return yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=1 << 16, indent=2)


def load_fast_all(text: str) -> list[Any]:
    return list(yaml.load_all(text, Loader=_Loader))


def load_located(text: str, file: str) -> Any:
    """Parse one YAML document into plain values whose mappings are `Located` (lines kept).

    For small hand-written files (config, policies, waivers). Syntax errors and duplicate keys
    become InputErrors naming the file and line.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: say which, and where
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
        raise InputError(f"not valid YAML: control character U+{char:04X} is not allowed; remove it, or write it "
                         f"as \\x{char:02x} inside a double-quoted string", file=file, line=line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", file=file, line=line) from None
    if node is None:
        return None
    budget = [100_000]  # bounded: a hostile file cannot make us build an unbounded structure
    try:
        return _construct(node, file, budget)
    except RecursionError:
        raise InputError("nested too deeply (or an alias refers to itself)", file=file) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # bad tags, impossible dates, binary
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"cannot read this value: {problem}", file=file,
                         line=mark.line + 1 if mark else None) from None


def _construct(node: yaml.Node, file: str, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError("document too large or too deeply aliased", file=file, line=node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out = Located()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        out.written = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError("merge keys (<<) are not supported here", file=file, line=key_node.start_mark.line + 1)
            key = _construct(key_node, file, budget)
            if not isinstance(key, str):
                raise InputError(f"keys must be strings, got {key!r}", file=file, line=key_node.start_mark.line + 1)
            if key in out:
                raise InputError(f"duplicate key {key!r} (first on line {out.key_lines[key]})",
                                 file=file, line=key_node.start_mark.line + 1)
            out[key] = _construct(value_node, file, budget)
            out.key_lines[key] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.ScalarNode):
                out.written[key] = value_node.value
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, file, budget) for v in node.value]
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:  # an impossible date, a bad tag
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [""])[0]
        raise InputError(f"cannot read the value {node.value!r}: {problem}"[:300], file=file,
                         line=node.start_mark.line + 1) from None


def read_located(path: str, rel: str) -> Any:
    """Read a small settings file (config, policies, waivers) and parse it with `load_located`."""
    try:
        text = read_regular(path, SETTINGS_FILE_LIMIT).decode("utf-8")
    except UnsafeFile as exc:
        raise InputError(exc.strerror or str(exc), file=rel) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", file=rel) from None
    return load_located(text, rel)


def line_of(mapping: Any, key: str | None = None) -> int | None:
    if isinstance(mapping, Located):
        return mapping.key_lines.get(key, mapping.line) if key else mapping.line
    return None
