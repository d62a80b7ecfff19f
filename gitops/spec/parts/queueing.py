"""The Kueue fields of Job, CronJob and TrainingJob: `queue` (the ClusterQueue the Job waits in,
through a LocalQueue of the same name in the app's namespace) and `priority` (a
WorkloadPriorityClass). Both name entries of the `kueue:` section of gitops.yaml; that they exist
is checked per environment when the app is synthesized (synth/kueue.py)."""
from __future__ import annotations

from typing import Any

from ..values import check_dns_label, check_dns_subdomain
from .base import _require


def check_queue_fields(spec: Any) -> None:
    if spec.queue is not None:
        problem = check_dns_label(spec.queue) if isinstance(spec.queue, str) else f"got {spec.queue!r}; expected a string"
        _require(problem is None, "queue", f"{problem} (the name of a queue under kueue.queues in gitops.yaml)")
    if spec.priority is not None:
        problem = (check_dns_subdomain(spec.priority) if isinstance(spec.priority, str)
                   else f"got {spec.priority!r}; expected a string")
        _require(problem is None, "priority", f"{problem} (a name under kueue.priorities in gitops.yaml)")
