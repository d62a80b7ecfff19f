"""`--output FORMAT[=FILE]` for every command: parsing, and writing to stdout or files.

Every command reports a failure to write the same way: an input error (exit 2) naming the file, for
a full disk (`sarif=/dev/full`), a folder given as the target, or a folder that cannot be made.
A pull-request comment in several parts goes to FILE-1.md, FILE-2.md, ...; parts of an earlier run
are removed only when they carry the comment's marker, i.e. when this tool provably wrote them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Callable, Sequence

import click

from ..errors import InputError
from ..findings import Report
from . import FORMATS, format_of
from .markdown import MARKER
from .model import DEFAULT_STYLE, Style

_MARK = MARKER.split(" -->")[0]  # also starts each part: "<!-- gitops:pull-request-comment part=2 -->"


@dataclass(frozen=True)
class Sink:
    format: str
    file: str | None  # None: stdout


def parse_outputs(values: Sequence[str], default: str = "text", formats: Sequence[str] | None = None) -> list[Sink]:
    """`text`, `sarif=out.sarif`, ... -> sinks: known formats, at most one on stdout, no file twice."""
    known = list(formats) if formats is not None else sorted(FORMATS)
    sinks: list[Sink] = []
    for value in values or (default,):
        name, sep, target = value.partition("=")
        name = name.strip().lower()
        if name not in known:
            raise InputError(f"--output {value!r}: unknown format {name!r}; expected one of {', '.join(known)}")
        if sep and not target:
            raise InputError(f"--output {value!r}: missing file name after '='")
        sinks.append(Sink(name, target or None))
    if sum(1 for s in sinks if s.file is None) > 1:
        raise InputError("--output: at most one format can go to standard output; give the others a file "
                         "(FORMAT=FILE)")
    seen: dict[str, str] = {}
    for sink in sinks:
        if sink.file is None:
            continue
        key = os.path.realpath(sink.file)
        if key in seen:
            raise InputError(f"--output: {seen[key]} and {sink.format}={sink.file} write the same file; "
                             "give each output its own file")
        seen[key] = f"{sink.format}={sink.file}"
    return sinks


def write(report: Report, sinks: Sequence[Sink], style: Style = DEFAULT_STYLE,
          echo: Callable[[str], None] = lambda text: click.echo(text, nl=False)) -> None:
    for sink in sinks:
        module = format_of(sink.format)
        parts = module.render(report, style)
        if sink.file is None:
            echo(getattr(module, "SEPARATOR", "").join(parts))
        else:
            write_parts(sink.file, parts, sink.format)


def write_parts(file: str, parts: Sequence[str], what: str = "report") -> list[str]:
    """One part: FILE. Several: FILE-1.md, FILE-2.md, ... Stale parts of an earlier run are removed
    when they carry the comment marker; nothing else is ever removed."""
    stem, ext = os.path.splitext(file)
    ext = ext or ".md"
    names = [file] if len(parts) == 1 else [f"{stem}-{i}{ext}" for i in range(1, len(parts) + 1)]
    for name in names if len(names) > 1 else ():
        if os.path.lexists(name) and not _ours(name):
            raise InputError(f"a part of the comment would replace this file, which gitops did not write; move it "
                             f"or choose another file than {file}", file=name)
    if what == "markdown":
        _remove_stale_parts(stem, ext, keep=set(names))
        if len(parts) > 1 and _ours(file):
            _remove(file)
    for name, part in zip(names, parts):
        write_text(name, part, what)
    return names


def write_text(name: str, content: str, what: str = "report") -> None:
    try:
        folder = os.path.dirname(name)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(name, "w", encoding="utf-8") as fh:
            fh.write(content)
    except OSError as exc:
        raise InputError(f"cannot write the {what} output: {exc.strerror or exc}", file=name) from None


def _remove_stale_parts(stem: str, ext: str, keep: set[str]) -> None:
    folder = os.path.dirname(stem) or "."
    part = re.compile(re.escape(os.path.basename(stem)) + r"-[1-9][0-9]*" + re.escape(ext) + "$")
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = os.path.join(os.path.dirname(stem), name)
        if part.match(name) and path not in keep and _ours(path):
            _remove(path)


def _ours(path: str) -> bool:
    """Whether `path` is a comment this tool wrote: a regular file that starts with its marker."""
    try:
        if not os.path.isfile(path) or os.path.islink(path):
            return False
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(len(_MARK)).startswith(_MARK)
    except OSError:
        return False


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError as exc:
        raise InputError(f"cannot remove an earlier part of the comment: {exc.strerror or exc}", file=path) from None
