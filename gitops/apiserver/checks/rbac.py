"""Checks on Roles, ClusterRoles and their bindings."""
from __future__ import annotations

from typing import Any

from .. import formats
from ..engine import Ctx, q
from .common import Found, join


def policy_rule(rule: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(rule, dict):
        return
    if not rule.get("verbs"):
        yield join(path, "verbs"), {"detail": "Required value: verbs must contain at least one value"}
    if rule.get("nonResourceURLs"):
        if ctx.kind == "Role":
            yield join(path, "nonResourceURLs"), {
                "detail": "Invalid value: ...: namespaced rules cannot apply to non-resource URLs"}
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            yield join(path, "nonResourceURLs"), {
                "detail": "Invalid value: ...: rules cannot apply to both regular resources and non-resource URLs"}
        return
    if not rule.get("apiGroups"):
        yield join(path, "apiGroups"), {"detail": "Required value: resource rules must supply at least one api group"}
    if not rule.get("resources"):
        yield join(path, "resources"), {"detail": "Required value: resource rules must supply at least one resource"}


def role_ref(ref: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(ref, dict):
        return
    kind = ref.get("kind")
    allowed = ("ClusterRole",) if ctx.kind == "ClusterRoleBinding" else ("Role", "ClusterRole")
    if isinstance(kind, str) and kind not in allowed:
        yield join(path, "kind"), {"detail": f"Unsupported value: {q(kind)}: supported values: "
                                             + ", ".join(f'"{a}"' for a in allowed)}
    group = ref.get("apiGroup")  # empty is defaulted to rbac.authorization.k8s.io
    if isinstance(group, str) and group and group != "rbac.authorization.k8s.io":
        yield join(path, "apiGroup"), {
            "detail": f"Unsupported value: {q(group)}: supported values: \"rbac.authorization.k8s.io\""}
    if not ref.get("name"):
        yield join(path, "name"), {"detail": "Required value"}


def subject(value: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(value, dict):
        return
    kind, group, name = value.get("kind"), value.get("apiGroup"), value.get("name")
    if not name:
        yield join(path, "name"), {"detail": "Required value"}
    if kind == "ServiceAccount":
        if group:
            yield join(path, "apiGroup"), {"detail": f"Unsupported value: {q(group)}: supported values: \"\""}
        if isinstance(name, str) and name:
            for detail in formats.dns1123_subdomain_errors(name):
                yield join(path, "name"), {"detail": f"Invalid value: {q(name)}: {detail}"}
        if ctx.kind == "ClusterRoleBinding" and not value.get("namespace"):
            yield join(path, "namespace"), {"detail": "Required value"}
    elif kind in ("User", "Group"):
        if isinstance(group, str) and group and group != "rbac.authorization.k8s.io":  # empty: defaulted
            yield join(path, "apiGroup"), {
                "detail": f"Unsupported value: {q(group)}: supported values: \"rbac.authorization.k8s.io\""}
    elif isinstance(kind, str):
        yield join(path, "kind"), {
            "detail": f"Unsupported value: {q(kind)}: supported values: \"ServiceAccount\", \"User\", \"Group\""}
