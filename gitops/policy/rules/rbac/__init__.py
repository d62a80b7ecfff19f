"""RBAC: who may do what. Roles that grant too much, bindings to subjects that should get nothing, and
roles and bindings that do not meet."""
from . import (
    rbac_anonymous,
    rbac_cluster_admin,
    rbac_create_pods,
    rbac_default_service_account,
    rbac_escalation,
    rbac_missing_role,
    rbac_pod_exec,
    rbac_secrets,
    rbac_unused_role,
    rbac_wildcard,
)

RULES = (
    rbac_anonymous,
    rbac_cluster_admin,
    rbac_create_pods,
    rbac_default_service_account,
    rbac_escalation,
    rbac_missing_role,
    rbac_pod_exec,
    rbac_secrets,
    rbac_unused_role,
    rbac_wildcard,
)
