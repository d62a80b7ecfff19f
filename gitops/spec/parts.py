"""Building blocks of the spec classes: validation errors, located SpecErrors, small checks."""
from __future__ import annotations

import os
import sys
from types import FrameType
from typing import Any, Mapping

from ..errors import SpecError
from .frozen import FrozenDict

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def wrap_part_init(cls: type[Any]) -> None:
    """Make a part's validation error name the part, so App can prefix the field path."""
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


