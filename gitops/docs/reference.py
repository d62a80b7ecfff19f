"""docs/spec-reference.md and docs/configuration.md, generated from the code so they cannot drift.

- Every public spec class (`gitops._SPEC_API`: the kinds and their parts) with every field: its
  type and default from the dataclass, its description from the `Attributes:` section of the class
  docstring (Google style: `    field: text`), else the comment on the field's line (or the comment
  lines just above it), else a `- field...: text` line of the docstring. A field with none fails
  `tests/test_docs_reference.py`, so a new field is documented where it is declared.
- Every gitops.yaml key: the core keys from `config.KEYS` (the table the parser accepts) and each
  section of `config.SECTIONS` / `config.ENV_SETTINGS` from the docstring of the module that parses
  it (where its owner writes the keys with an example).

    python -m gitops.docs.reference           # rewrite both
    python -m gitops.docs.reference --check   # exit 1 when either is stale
"""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import io
import os
import re
import sys
import textwrap
import tokenize
from typing import Any, Callable

from .. import _SPEC_API
from .. import config as config_mod
from .generated import write_or_check

SPEC_DOC = os.path.join("docs", "spec-reference.md")
CONFIG_DOC = os.path.join("docs", "configuration.md")
_FIELD_LINE = re.compile(r"^    ([a-z_][a-z0-9_]*)\s*:")
_DOC_BULLET = re.compile(r"^- ([a-z_][a-z0-9_]*)\b[^:]*?:\s+(.*)$")
_DOC_FIELD = re.compile(r"^`?([a-z_][a-z0-9_]*)`?:\s+(.*)$")
_ATTRIBUTE = re.compile(r"^    ([a-z_][a-z0-9_]*):\s+(.*)$")
ATTRIBUTES = "Attributes:"


def spec_classes() -> list[type]:
    """The public spec classes, once each (App is Service's other name), the base Workload first."""
    seen: dict[type, None] = {}
    for name, module in _SPEC_API.items():
        cls = getattr(importlib.import_module(module), name)
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            seen.setdefault(cls, None)
    workload = importlib.import_module("gitops.spec.workload").Workload
    return [workload, *seen]


def _comments(cls: type) -> dict[str, str]:
    """field -> the comment on its line, or the comment lines right above it, in the class body."""
    try:
        source, _ = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return {}
    lines = textwrap.dedent("".join(source)).splitlines()  # a class defined inside a function too
    found: dict[str, str] = {}
    above: list[str] = []
    for line in lines:
        stripped = line.strip()
        if line.startswith("    #") and not line.startswith("     "):
            above.append(stripped.lstrip("#").strip())
            continue
        match = _FIELD_LINE.match(line)
        if match:
            trailing = [t.string.lstrip("#").strip() for t in _tokens(line) if t.type == tokenize.COMMENT]
            text = " ".join(above + trailing).strip()
            if text:
                found.setdefault(match.group(1), text)
        above = []
    return found


def _tokens(line: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return []


def prose(cls: type) -> str:
    """The class docstring without its `Attributes:` section (the reference's tables carry that)."""
    doc = inspect.getdoc(cls) or ""
    head, found, _ = doc.partition("\n" + ATTRIBUTES + "\n")
    if not found and doc.startswith(ATTRIBUTES + "\n"):
        return ""
    return head.rstrip()


def attributes(cls: type) -> dict[str, str]:
    """field -> text from the docstring's `Attributes:` section (continuation lines joined)."""
    doc = inspect.getdoc(cls) or ""
    _, found, section = doc.partition(ATTRIBUTES + "\n")
    out: dict[str, str] = {}
    current: str | None = None
    for line in section.splitlines() if found else []:
        match = _ATTRIBUTE.match(line)
        if match:
            current = match.group(1)
            out[current] = match.group(2).strip()
        elif current and line.startswith("      ") and line.strip():
            out[current] += " " + line.strip()
        elif line.strip():
            break
    return out


def _docstring_bullets(cls: type) -> dict[str, str]:
    """field -> text of a `- field=default: reason` line in the class docstring (continued lines
    joined; `- a=1, b=2: reason` describes both), or of a line starting `field: text`."""
    found: dict[str, str] = {}
    current: list[str] = []
    for line in prose(cls).splitlines():
        plain = _DOC_FIELD.match(line)  # `field: text` or field: text at the start of a line
        if plain:
            current = [plain.group(1)]
            found.setdefault(current[0], plain.group(2).strip())
            continue
        match = _DOC_BULLET.match(line)
        if match:
            head = line[2:line.index(":", 2)] if ":" in line[2:] else ""
            current = re.findall(r"\b([a-z_][a-z0-9_]*)=", head) or [match.group(1)]
            for name in current:
                found.setdefault(name, match.group(2).strip())
        elif current and line.startswith("  ") and line.strip():
            for name in current:
                found[name] += " " + line.strip()
        else:
            current = []
    return found


def own_fields(cls: type) -> list[dataclasses.Field]:
    """The fields a class declares itself (a kind lists only what it adds or changes), public ones."""
    declared = cls.__dict__.get("__annotations__", {})
    return [f for f in dataclasses.fields(cls) if f.name in declared and f.repr and not f.name.startswith("_")]


def describe(cls: type, name: str) -> str | None:
    """A field's description, looked up in the class that declares it and then its bases."""
    for klass in cls.__mro__:
        if name in klass.__dict__.get("__annotations__", {}):
            text = attributes(klass).get(name) or _comments(klass).get(name) or _docstring_bullets(klass).get(name)
            if text:
                return text
    return None


def _default(f: dataclasses.Field) -> str:
    if f.default is not dataclasses.MISSING:
        return f"`{f.default!r}`"
    if f.default_factory is not dataclasses.MISSING:
        value = f.default_factory()
        return f"`{dict(value)!r}`" if hasattr(value, "items") else f"`{value!r}`"
    return "required"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _annotation(value: object) -> str:
    return value.strip("'\"") if isinstance(value, str) else inspect.formatannotation(value)


def _signature(func: Callable[..., Any], skip_first: bool = False) -> str:
    """`(a: int, b: str = 'x', **kw: Any) -> T`, annotations as written (they are strings here)."""
    sig = inspect.signature(func)
    params = list(sig.parameters.values())[1 if skip_first else 0:]
    out = []
    for p in params:
        stars = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        text = stars + p.name
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {p.default!r}"
        out.append(text)
    ret = sig.return_annotation
    arrow = "" if ret is sig.empty else f" -> {_annotation(ret)}"
    return f"({', '.join(out)}){arrow}"


def _constructors(cls: type) -> list[str]:
    out = []
    for name, member in sorted(vars(cls).items()):
        if isinstance(member, (classmethod, staticmethod)) and not name.startswith("_"):
            func = member.__func__
            signature = _signature(func, skip_first=isinstance(member, classmethod))
            doc = (inspect.getdoc(func) or "").split("\n\n")[0].replace("\n", " ")
            out.append(f"- `{cls.__name__}.{name}{signature}`" + (f": {doc}" if doc else ""))
    return out


def render_spec() -> str:
    parts = ["# Spec reference", "",
             "<!-- Generated by `python -m gitops.docs.reference` from the spec classes; do not edit.",
             "     tests/test_docs_reference.py fails when this file is stale or a field has no description. -->",
             "",
             "Every class a spec file imports from `gitops`, with every field: type, default and meaning. All take",
             "keywords only. The workload kinds share the fields of `Workload` and list only what they add or change.",
             "Any field but `name` and `environments` can be overridden per environment (`environments={\"prod\":",
             "{...}}`, docs/specs.md); what each kind produces is in docs/workloads.md.", ""]
    for cls in spec_classes():
        doc = prose(cls)
        parts += [f"## {cls.__name__}", "", doc.split("\n\n")[0], ""]
        rest = doc.split("\n\n", 1)[1] if "\n\n" in doc else ""
        if rest:
            parts += [rest, ""]
        bases = [b.__name__ for b in cls.__mro__[1:] if dataclasses.is_dataclass(b) and not b.__name__.startswith("_")]
        if bases:
            parts += [f"Also takes every field of {', '.join(f'`{b}`' for b in bases)}.", ""]
        fields = own_fields(cls)
        if fields:
            parts += ["| Field | Type | Default | Meaning |", "|---|---|---|---|"]
            for f in fields:
                parts.append(f"| `{f.name}` | `{_cell(str(f.type))}` | {_cell(_default(f))} | "
                             f"{_cell(describe(cls, f.name) or '')} |")
            parts.append("")
        if constructors := _constructors(cls):
            parts += ["Constructors:", "", *constructors, ""]
    functions = [(name, getattr(importlib.import_module(module), name)) for name, module in _SPEC_API.items()]
    functions = [(name, f) for name, f in functions if inspect.isfunction(f)]
    if functions:
        parts += ["## Functions", ""]
        for name, func in functions:
            doc = (inspect.getdoc(func) or "").split("\n\n")[0].replace("\n", " ")
            parts.append(f"- `{name}{_signature(func)}`" + (f": {doc}" if doc else ""))
    return "\n".join(parts).rstrip("\n") + "\n"


def render_config() -> str:
    parts = ["# Configuration: gitops.yaml", "",
             "<!-- Generated by `python -m gitops.docs.reference` from gitops/config.py (KEYS, SECTIONS,",
             "     ENV_SETTINGS) and the docstrings of the modules that parse each section; do not edit. -->", "",
             "`gitops.yaml` sits at the project root (commands find it from any folder below). Every key is",
             "optional; an unknown key or a bad value is an input error naming the file, the line and the key",
             "(exit 2). `gitops init` writes a commented one (docs/new-repository.md).", "",
             "## Core keys", "", "| Key | Default | Meaning |", "|---|---|---|"]
    for key, (default, meaning) in config_mod.KEYS.items():
        parts.append(f"| `{key}` | {_cell(default)} | {_cell(meaning)} |")
    parts += ["", "## Sections", "",
              "Each section is parsed by the module that uses it (the table `SECTIONS` in gitops/config.py);",
              "per-environment keys under `environments.<env>` likewise (`ENV_SETTINGS`). Each module's",
              "documentation follows, as written in its code.", ""]
    modules: dict[str, list[str]] = {}
    for label, table in (("", config_mod.SECTIONS), ("environments.<env>.", config_mod.ENV_SETTINGS)):
        for key, parser in table.items():
            modules.setdefault(parser.__module__, []).append(f"`{label}{key}`")
    for module, keys in modules.items():
        doc = inspect.cleandoc(importlib.import_module(module).__doc__ or "")
        title, _, body = doc.partition("\n\n")
        parts += [f"### {', '.join(keys)}", "", f"From `{module}`: {title}", ""]
        if body:
            parts += [_indent_code(body), ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def _indent_code(text: str) -> str:
    """A docstring's indented blocks (YAML examples) as fenced code, the prose as is."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            out.extend(["```yaml", textwrap.dedent("\n".join(block)).strip("\n"), "```"])
            block.clear()

    for line in text.splitlines():
        if line.startswith("    ") or (block and not line.strip()):
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


DOCS = {SPEC_DOC: render_spec, CONFIG_DOC: render_config}


def main(argv: list[str]) -> int:
    docs = {doc: render() for doc, render in DOCS.items()}
    return write_or_check(config_mod.find_root(), docs, "--check" in argv, "python -m gitops.docs.reference")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
