"""Every output format, behind one interface and one registry, for every command.

A format is a module with `NAME` and `render(report, style) -> list[str]`: the documents to write
(one, except a pull-request comment split in parts). `FORMATS` is the registry; `write.py` parses
`--output FORMAT[=FILE]` and writes to stdout or files the same way for every command.

To add a format: write `report/<name>.py` with those two names, list it in `FORMATS` below, add a
test in tests/test_report_formats.py, and name it in docs/validation.md (Output formats).
"""
from __future__ import annotations

from types import ModuleType

from ..errors import InputError
from ..findings import Checked, Report, ValidationReport
from . import github, json, junit, markdown, sarif, tap, text
from .model import DEFAULT_STYLE, CheckReport, Style, summary, summary_line

FORMATS: dict[str, ModuleType] = {}
for _module in (text, json, junit, sarif, tap, github, markdown):
    if _module.NAME in FORMATS:
        raise ValueError(f"output format {_module.NAME!r} is registered twice")
    FORMATS[_module.NAME] = _module

__all__ = ["FORMATS", "CheckReport", "Checked", "Style", "ValidationReport", "format_of", "render", "summary",
           "summary_line"]


def format_of(name: str) -> ModuleType:
    if name not in FORMATS:
        raise InputError(f"unknown output format {name!r}; expected one of {', '.join(sorted(FORMATS))}")
    return FORMATS[name]


def render(name: str, report: Report, style: Style = DEFAULT_STYLE) -> str:
    """The format's output as one text (a comment in parts is joined with its separator)."""
    module = format_of(name)
    return getattr(module, "SEPARATOR", "").join(module.render(report, style))
