"""Schema validation: bundled Kubernetes schemas, imported CRDs, CEL rules, deprecated APIs.

The names below load on first use: the policy rules import small parts of this package (scopes,
the deprecation table) and should not pay for the validator, jsonschema-rs and the API-server
checks.
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = ["EXTRA_CHECKS", "Options", "Outcome", "Validator", "supported_versions"]
_WHERE = {"EXTRA_CHECKS": "validator", "Options": "validator", "Outcome": "validator", "Validator": "validator",
          "supported_versions": "builtin"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
