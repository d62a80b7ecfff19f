"""Output formats: one module per format, each with `NAME` and `render(report) -> str`.

`FORMATS` is the registry (explicit; another format registers by adding its module here).
"""
from __future__ import annotations

from typing import Callable

from ..errors import InputError
from ..findings import Report
from . import github, json, junit, sarif, tap, text
from .model import Checked, ValidationReport, summary, summary_line

FORMATS: dict[str, Callable[[Report], str]] = {m.NAME: m.render for m in (text, json, junit, sarif, tap, github)}

__all__ = ["FORMATS", "Checked", "ValidationReport", "parse_outputs", "render", "summary", "summary_line"]


def render(name: str, report: Report) -> str:
    if name not in FORMATS:
        raise InputError(f"unknown output format {name!r}; expected one of {', '.join(sorted(FORMATS))}")
    return FORMATS[name](report)


def parse_outputs(values: tuple[str, ...] | list[str], default: str = "text") -> list[tuple[str, str | None]]:
    """`--output FORMAT` or `--output FORMAT=FILE`, repeatable: (format, file or None for stdout)."""
    out: list[tuple[str, str | None]] = []
    for value in values or (default,):
        name, sep, target = value.partition("=")
        name = name.strip()
        if name not in FORMATS:
            raise InputError(f"--output {value!r}: unknown format {name!r}; expected one of {', '.join(sorted(FORMATS))}")
        if sep and not target:
            raise InputError(f"--output {value!r}: missing file name after '='")
        out.append((name, target or None))
    if sum(1 for _, target in out if target is None) > 1:
        raise InputError("--output: at most one format can go to standard output; give the others a file (FORMAT=FILE)")
    return out
