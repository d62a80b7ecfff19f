"""The ServiceAccount's cloud identity, as the environment's cluster profile binds it
(gitops/spec/identity.py has the sources)."""
from __future__ import annotations

from typing import Any

from ..errors import InputError
from .cluster import IDENTITY_MODES
from .context import Target

GKE_WORKLOAD_IDENTITY, EKS_IRSA, EKS_POD_IDENTITY, NONE = IDENTITY_MODES
GKE_ANNOTATION = "iam.gke.io/gcp-service-account"
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"


def service_account_annotations(t: Target) -> dict[str, str]:
    """The annotations that bind the app's ServiceAccount to its cloud identity in this environment."""
    identity: Any = getattr(t.app, "identity", None)
    if identity is None:
        return {}
    mode = t.cluster.identity
    if mode == GKE_WORKLOAD_IDENTITY:
        return {GKE_ANNOTATION: _needed(t, identity.gcp_service_account, "gcp_service_account", mode)}
    if mode == EKS_IRSA:
        return {IRSA_ANNOTATION: _needed(t, identity.aws_role_arn, "aws_role_arn", mode)}
    if mode == EKS_POD_IDENTITY:
        _needed(t, identity.aws_role_arn, "aws_role_arn", mode)  # named by the association, not the manifests
    return {}


def _needed(t: Target, value: str | None, field: str, mode: str) -> str:
    if value is None:
        raise InputError(f"app {t.name!r}: identity.{field} is needed in environment {t.env!r}: its cluster profile "
                         f"{t.cluster.name!r} binds pods to the cloud through {mode}",
                         file=t.spec_file, line=t.spec_line)
    return value
