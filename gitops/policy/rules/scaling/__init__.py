"""Autoscaling: HorizontalPodAutoscalers that can work, on targets they can measure."""
from . import (
    hpa_bounds,
    hpa_min_replicas,
    hpa_no_replicas,
    hpa_target,
    keda_hpa_conflict,
    keda_references,
)

RULES = (
    hpa_bounds,
    hpa_min_replicas,
    hpa_no_replicas,
    hpa_target,
    keda_hpa_conflict,
    keda_references,
)
