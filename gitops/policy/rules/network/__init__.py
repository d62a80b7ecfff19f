"""Network exposure: what outside the cluster, or outside the pod, can reach."""
from . import (
    ingress_snippets,
    ingress_tls,
    network_policy_selects,
    privileged_ports,
    service_exposed,
)

RULES = (
    ingress_snippets,
    ingress_tls,
    network_policy_selects,
    privileged_ports,
    service_exposed,
)
