"""GitOps delivery: Argo CD and Flux objects that point at the generated/ folders.

Importing this package registers the `delivery` config section and per-environment setting
(`gitops.config_sections` imports it before any config is read). The generated files and the
in-app sync waves are registered with the pipeline by `gitops.delivery.hooks`, which
`gitops.pipeline` imports: reading config (or validating) does not load the synthesis machinery.
"""
from __future__ import annotations

import importlib
from typing import Any

from .settings import register

__all__ = ["compact_schemas", "delivery_files", "register", "sync_wave_hook"]

register()

_LAZY = {"compact_schemas": ".schemas", "delivery_files": ".layout", "sync_wave_hook": ".layout"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'gitops.delivery' has no attribute {name!r}")
