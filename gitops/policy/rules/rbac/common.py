"""What the RBAC rules share: the rules of a Role or ClusterRole, the subjects and role of a binding."""
from __future__ import annotations

from typing import Iterator

from ...api import as_map, items

ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
RBAC_GROUP = "rbac.authorization.k8s.io"
# ClusterRoles every cluster has (kube-apiserver bootstrap policy): bindings may name them freely.
BUILTIN_CLUSTER_ROLES = frozenset({"cluster-admin", "admin", "edit", "view"})
# Roles the bootstrap policy makes in kube-system (extension API servers bind the first one).
BUILTIN_ROLES = frozenset({("kube-system", "extension-apiserver-authentication-reader")})


def is_rbac(res) -> bool:
    return res.group == RBAC_GROUP


def role_rules(res) -> Iterator[tuple[int, dict, set[str], set[str], set[str]]]:
    """(index, rule, verbs, resources, apiGroups) of each resource rule of a Role or ClusterRole."""
    for i, rule in items(res.obj.get("rules")):
        if rule.get("nonResourceURLs") and not rule.get("resources"):
            continue
        yield i, rule, _strings(rule.get("verbs")), _strings(rule.get("resources")), _strings(rule.get("apiGroups"))


def grants(verbs: set[str], resources: set[str], groups: set[str], wanted_verbs: set[str],
           wanted_resources: set[str], group: str = "") -> bool:
    """Whether a rule grants any of `wanted_verbs` on any of `wanted_resources` of an API group
    (a `*` in verbs, resources or groups grants everything there)."""
    return bool((verbs & wanted_verbs or "*" in verbs) and (resources & wanted_resources or "*" in resources)
                and (group in groups or "*" in groups))


def subjects(res) -> Iterator[tuple[int, dict]]:
    return items(res.obj.get("subjects"))


def role_ref(res) -> dict:
    return as_map(res.obj.get("roleRef"))


def is_system(res) -> bool:
    """Objects of the cluster's own bootstrap policy (`system:` names) are not the repository's."""
    return res.name.startswith("system:")


def _strings(value) -> set[str]:
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()
