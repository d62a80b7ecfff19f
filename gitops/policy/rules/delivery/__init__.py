"""Delivery: the sync and health risks of GitOps delivery (Argo CD, Flux), and what the controllers
do to run-once Jobs and claims."""
from . import (
    application_empty_path,
    application_overlap,
    claim_prune_protection,
    immutable_field_change,
    job_rerun_after_ttl,
    job_sync_replace,
    rollout_progress_deadline,
    sync_hooks_waves,
)

RULES = (
    application_empty_path,
    application_overlap,
    claim_prune_protection,
    immutable_field_change,
    job_rerun_after_ttl,
    job_sync_replace,
    rollout_progress_deadline,
    sync_hooks_waves,
)
