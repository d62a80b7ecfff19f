"""Cloud identity of an app's pods: which cloud account its ServiceAccount stands for.

The app states its identity on each cloud; the environment's cluster profile says how that cloud
binds a Kubernetes ServiceAccount to it (`identity:` of the profile, docs/workloads.md):

- GKE Workload Identity: the annotation `iam.gke.io/gcp-service-account: <email>` on the
  ServiceAccount (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity).
- EKS IAM roles for service accounts (IRSA): `eks.amazonaws.com/role-arn: <role ARN>` on the
  ServiceAccount (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html).
- EKS Pod Identity: nothing in the manifests; the association of namespace and ServiceAccount with
  the role is made through the EKS API (https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .base import _Part, _require, wrap_part_init

_GCP_EMAIL = re.compile(r"^[a-z]([-a-z0-9]{4,28}[a-z0-9])?@[a-z][-a-z0-9.:]{4,62}\.iam\.gserviceaccount\.com$")
_AWS_ROLE = re.compile(r"^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$")


@dataclass(frozen=True, kw_only=True)
class CloudIdentity(_Part):
    """The cloud accounts an app's pods act as, one per cloud it may run on.

    gcp_service_account: a Google service account email (GKE Workload Identity).
    aws_role_arn: an IAM role ARN (EKS IRSA; with EKS Pod Identity the association names it).
    """

    gcp_service_account: str | None = None
    aws_role_arn: str | None = None

    def _validate(self) -> None:
        _require(self.gcp_service_account is not None or self.aws_role_arn is not None, "gcp_service_account",
                 "give gcp_service_account, aws_role_arn or both")
        if self.gcp_service_account is not None:
            _require(isinstance(self.gcp_service_account, str) and bool(_GCP_EMAIL.match(self.gcp_service_account)),
                     "gcp_service_account", f"got {self.gcp_service_account!r}; expected an email such as "
                     "model-server@my-project.iam.gserviceaccount.com")
        if self.aws_role_arn is not None:
            _require(isinstance(self.aws_role_arn, str) and bool(_AWS_ROLE.match(self.aws_role_arn)), "aws_role_arn",
                     f"got {self.aws_role_arn!r}; expected an IAM role ARN such as "
                     "arn:aws:iam::123456789012:role/model-server")


wrap_part_init(CloudIdentity)
