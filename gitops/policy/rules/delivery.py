"""The sync and health risk rules of GitOps delivery, for the engine's registry."""
from . import application_overlap, application_paths, gitops_objects, immutable_fields, progress_deadline, sync_hooks

RULES = (immutable_fields, progress_deadline, sync_hooks, application_paths, application_overlap,
         *gitops_objects.RULES)
