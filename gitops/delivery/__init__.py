"""GitOps delivery: Argo CD and Flux objects that point at the generated/ folders.

Importing this package registers its parts with the rest of the tool (explicitly, once):
the `delivery` config section and per-environment setting, the generated files, and the
in-app sync waves. `gitops.config_sections` imports it before any config is read.
"""
from __future__ import annotations

from .. import pipeline
from .layout import delivery_files, sync_wave_hook
from .schemas import compact_schemas
from .settings import register

__all__ = ["compact_schemas", "delivery_files", "register", "sync_wave_hook"]

register()
if delivery_files not in pipeline.EXTRA_FILES:
    pipeline.EXTRA_FILES.append(delivery_files)
if sync_wave_hook not in pipeline.OBJECT_HOOKS:
    pipeline.OBJECT_HOOKS.append(sync_wave_hook)
