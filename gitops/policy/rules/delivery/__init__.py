"""Delivery: the sync and health risks of GitOps delivery (Argo CD, Flux)."""
from . import (
    application_empty_path,
    application_overlap,
    immutable_field_change,
    rollout_progress_deadline,
    sync_hooks_waves,
)

RULES = (
    application_empty_path,
    application_overlap,
    immutable_field_change,
    rollout_progress_deadline,
    sync_hooks_waves,
)
