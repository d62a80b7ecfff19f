"""jsonschema-rs errors to messages a person understands, with the JSON path they are about."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Callable

from .builtin import QUANTITY

_TYPE_NAMES = {"integer": "integer", "number": "number", "string": "string", "boolean": "boolean",
               "object": "object", "array": "list", "null": "null"}


@dataclass(frozen=True)
class Problem:
    parts: list
    rule: str
    message: str
    hint: str = ""


def show(value: Any, limit: int = 60) -> str:
    """A value as JSON, shortened: `"http"`, `[1, 2]`, `{"a": …}`."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _got(value: Any) -> str:
    kind = type_of(value)
    return f"got {kind}" if kind in ("object", "list", "null") and len(show(value)) > 30 else f"got {kind} {show(value)}"


def _expected_types(types: Any) -> list[str]:
    types = types if isinstance(types, list) else [types]
    return [_TYPE_NAMES.get(t, str(t)) for t in types if t != "null"] or ["null"]


def _alternatives(kind_data: dict) -> list[str]:
    out: list[str] = []
    for branch in kind_data.get("context") or []:
        for err in branch:
            data = err.kind.as_dict() if hasattr(err.kind, "as_dict") else {}
            for name in _expected_types(data.get("types") or data.get("type") or []):
                if name not in out and name != "null":
                    out.append(name)
    return out


def describe(error: Any, known_fields: Callable[[list], list[str]]) -> list[Problem]:
    """One or more Problems for one validation error (several for several unknown fields)."""
    parts = list(error.instance_path)
    name = type(error.kind).__name__
    data = error.kind.as_dict() if hasattr(error.kind, "as_dict") else {}
    schema_path = list(error.schema_path)
    value = error.instance
    if name == "AdditionalProperties":
        out = []
        allowed = known_fields(schema_path)
        for field in data.get("unexpected") or []:
            close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.75)
            hint = f"did you mean {close[0]!r}?" if close else "remove it, or check its indentation"
            out.append(Problem(parts + [field], "schema-unknown-field", f"unknown field {show(field)}", hint))
        return out
    if name == "Type":
        expected = " or ".join(_expected_types(data.get("types") or data.get("type")))
        return [Problem(parts, "schema-type", f"expected {expected}, {_got(value)}")]
    if name == "Required":
        field = data.get("property")
        return [Problem(parts + [field] if isinstance(field, str) else parts, "schema-required",
                        f"missing required field {show(field)}")]
    if name == "Enum":
        options = data.get("options")
        choices = ", ".join(show(o) for o in options) if isinstance(options, list) else show(options)
        return [Problem(parts, "schema-enum", f"{show(value)} is not one of the allowed values: {choices}")]
    if name == "Pattern" and QUANTITY in schema_path:
        return [Problem(parts, "schema-quantity", f"{show(value)} is not a quantity",
                        "write a number with an optional unit: 500m, 2, 1.5Gi, 128Mi")]
    if name in ("OneOfNotValid", "AnyOf") and QUANTITY in schema_path and isinstance(value, str):
        return [Problem(parts, "schema-quantity", f"{show(value)} is not a quantity",
                        "write a number with an optional unit: 500m, 2, 1.5Gi, 128Mi")]
    if name in ("OneOfNotValid", "AnyOf") and QUANTITY in schema_path:
        return [Problem(parts, "schema-quantity", f"expected a quantity (string or number), {_got(value)}",
                        "write a number with an optional unit: 500m, 2, 1.5Gi, 128Mi")]
    if name in ("OneOfNotValid", "AnyOf"):
        options = _alternatives(data)
        if options:
            return [Problem(parts, "schema-type", f"expected {' or '.join(options)}, {_got(value)}")]
    if name in ("Minimum", "Maximum", "ExclusiveMinimum", "ExclusiveMaximum", "MinLength", "MaxLength",
                "MinItems", "MaxItems", "Pattern", "Format", "MultipleOf", "UniqueItems", "MinProperties",
                "MaxProperties"):
        return [Problem(parts, "schema-constraint", error.message)]
    return [Problem(parts, "schema-invalid", error.message)]
