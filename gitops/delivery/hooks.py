"""The delivery files and sync waves, registered with the pipeline (imported by gitops.pipeline)."""
from __future__ import annotations

from .. import pipeline
from .layout import delivery_files, sync_wave_hook

if delivery_files not in pipeline.EXTRA_FILES:
    pipeline.EXTRA_FILES.append(delivery_files)
if sync_wave_hook not in pipeline.OBJECT_HOOKS:
    pipeline.OBJECT_HOOKS.append(sync_wave_hook)
