"""Health and rollouts: probes that tell Kubernetes when a pod can serve, and enough pods kept
running through rollouts, node drains and zone failures. (Slow starts: `startup-probe-not-delay`
in ml.py.)"""
from . import (
    job_restart_policy,
    liveness_probe,
    min_replicas,
    pdb_allows_eviction,
    pdb_has_policy,
    pdb_unhealthy_eviction,
    pod_disruption_budget,
    pod_spread,
    priority_class,
    probe_ports,
    probes_differ,
    progress_deadline,
    readiness_probe,
    rolling_update_capacity,
)

RULES = (
    job_restart_policy,
    liveness_probe,
    min_replicas,
    pdb_allows_eviction,
    pdb_has_policy,
    pdb_unhealthy_eviction,
    pod_disruption_budget,
    pod_spread,
    priority_class,
    probe_ports,
    probes_differ,
    progress_deadline,
    readiness_probe,
    rolling_update_capacity,
)
