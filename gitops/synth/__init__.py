"""AppSpec@env -> cdk8s charts -> rendered files.

The names below load on first use: `gitops.synth.cluster` (a config section) must not pull in
the engine and the spec model when only config is read, as `gitops validate` does.
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = ["BUILDERS", "Cache", "Rendered", "Target", "run"]
_HOME = {"Target": ".context", "BUILDERS": ".engine", "Cache": ".engine", "Rendered": ".engine", "run": ".engine"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name], __name__), name)
    raise AttributeError(f"module 'gitops.synth' has no attribute {name!r}")
