"""References: names inside and across objects that must point at something that exists in the set."""
from . import (
    container_names,
    ingress_backend,
    network_policy,
    pdb_selector,
    pod_references,
    service_ports,
    service_selector,
    statefulset_service,
    workload_selector,
)

RULES = (
    container_names,
    ingress_backend,
    network_policy,
    pdb_selector,
    pod_references,
    service_ports,
    service_selector,
    statefulset_service,
    workload_selector,
)
