"""Building blocks of the spec classes: validation errors, located SpecErrors, small checks."""
from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import sys
from types import FrameType
from typing import Any, Mapping

from ...errors import SpecError
from ..frozen import FrozenDict

# gitops/ itself: this file is gitops/spec/parts/base.py
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _Invalid(Exception):
    """Raised inside validation; turned into a SpecError that knows the app and location."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name, self.message = field_name, message


def caller_location() -> tuple[str, int]:
    """File and line of the first frame outside this package: the line in the user's spec."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        raw = frame.f_code.co_filename
        filename = os.path.abspath(raw)
        if not filename.startswith(_PACKAGE_DIR + os.sep) and "dataclasses" not in os.path.basename(filename) \
                and not raw.startswith("<"):
            return frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


def _require(cond: bool, field_name: str, message: str) -> None:
    if not cond:
        raise _Invalid(field_name, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_in(value: Any, field_name: str, low: int, high: int | None = None) -> None:
    allowed = f"an integer >= {low}" if high is None else f"an integer from {low} to {high}"
    _require(_is_int(value) and value >= low and (high is None or value <= high), field_name,
             f"got {value!r}; expected {allowed}")


class _Part:
    """Base of the small value classes: validation raises _Invalid; App adds app and location."""

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:  # pragma: no cover - overridden
        pass


def _string_map(value: Any, field_name: str, key_check=None, value_check=None) -> FrozenDict:
    _require(isinstance(value, Mapping), field_name, f"got {value!r}; expected a mapping of strings")
    for k, v in value.items():
        _require(isinstance(k, str), field_name, f"key {k!r} must be a string")
        _require(isinstance(v, str), f"{field_name}[{k!r}]", f"got {v!r}; expected a string (quote numbers)")
        if key_check and (problem := key_check(k)):
            raise _Invalid(field_name, problem)
        if value_check and (problem := value_check(v)):
            raise _Invalid(f"{field_name}[{k!r}]", problem)
    return FrozenDict(value)


def did_you_mean(name: str, allowed: list[str]) -> str:
    """' did you mean X?' for the closest allowed name, or nothing when none is close."""
    close = difflib.get_close_matches(name, allowed, n=1)
    return f" did you mean {close[0]!r}?" if close else ""


def check_keywords(cls: type[Any], *, names_app: bool = False) -> None:
    """Make an unknown, missing or positional argument of a spec class a located SpecError
    (Python's own is a bare TypeError). `names_app`: the class's `name` is the app's name."""
    original = cls.__init__
    if getattr(original, "_keywords_checked", False):  # inherited: already checked
        return
    fields = [f for f in dataclasses.fields(cls) if f.init]
    accepted = {f.name for f in fields}
    shown = sorted(f.name for f in fields if f.repr)  # `source` is internal
    required = [f.name for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    kind = cls.__name__

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        unknown = [k for k in kwargs if k not in accepted]
        missing = [k for k in required if k not in kwargs]
        if args or unknown or missing:
            if args:
                message = (f"got {len(args)} positional argument(s) {', '.join(map(repr, args))}; "
                           f"name each field, e.g. {kind}({(required or shown)[0]}=...); {kind} takes: "
                           f"{', '.join(shown)}")
            elif unknown:
                message = (f"unknown field {unknown[0]!r};{did_you_mean(unknown[0], shown)} {kind} takes: "
                           f"{', '.join(shown)}")
            else:
                message = (f"missing required field{'s' if len(missing) > 1 else ''} "
                           f"{', '.join(map(repr, missing))}; {kind} requires: {', '.join(required)}")
            name = kwargs.get("name")
            file, line = caller_location()
            raise SpecError(message, file=file, line=line, field=kind,
                            app=name if names_app and isinstance(name, str) else None)
        original(self, **kwargs)

    __init__._keywords_checked = True  # type: ignore[attr-defined]
    cls.__init__ = __init__


def wrap_part_init(cls: type[Any]) -> None:
    """Make a part's validation error name the part, so App can prefix the field path, and its
    unknown or missing keywords a SpecError."""
    check_keywords(cls)
    original = cls.__post_init__
    if getattr(original, "_wrapped", False):  # a subclass of a wrapped part: already covered
        return

    def __post_init__(self) -> None:
        try:
            original(self)
        except _Invalid as exc:
            location = caller_location()
            raise SpecError(exc.message, file=location[0], line=location[1],
                            field=f"{type(self).__name__}.{exc.field_name}") from None

    __post_init__._wrapped = True  # type: ignore[attr-defined]
    cls.__post_init__ = __post_init__


