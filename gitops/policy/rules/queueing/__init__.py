"""Rules for workloads queued by Kueue: references that resolve, quotas a workload can fit, and a
suspension that a GitOps controller does not fight."""
from . import (
    kueue_quota,
    kueue_references,
    kueue_suspend_sync,
)

RULES = (
    kueue_quota,
    kueue_references,
    kueue_suspend_sync,
)
