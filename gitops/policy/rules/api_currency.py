"""API currency: apiVersions the target Kubernetes version (gitops.yaml `kubernetesVersion`) still serves.

The table is schema validation's (`gitops.schema.deprecations`): one list of API lifecycles."""
from __future__ import annotations

from ...findings import Finding
from ...schema.deprecations import TABLE, Deprecation



def lifecycle(api_version: str, kind: str) -> Deprecation | None:
    """The deprecation entry of an apiVersion and kind (the table schema validation uses too)."""
    for entry in TABLE:
        if entry.api_version == api_version and (not entry.kinds or kind in entry.kinds):
            return entry
    return None


def _minor(version: str) -> int:
    return int(version.partition(".")[2] or 0)


class ApiRemoved:
    """No object uses an apiVersion removed in the target Kubernetes version.

    The API server rejects it: the sync fails in the cluster, after merge. The target version is
    `kubernetesVersion` in gitops.yaml.

    Fails:

    ```yaml
    apiVersion: policy/v1beta1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
    ```

    Passes:

    ```yaml
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
    ```
    """

    ID = "api-removed"
    DESCRIPTION = "no apiVersion removed in the target Kubernetes version"
    SEVERITY = "error"

    @staticmethod
    def check(res, ctx):
        known = lifecycle(res.api_version, res.kind)
        if known and known.removed_in is not None and _minor(ctx.kubernetes_version) >= known.removed_in:
            yield Finding.about(res, ApiRemoved.ID, ctx.severity, f"{res.api_version} {res.kind} was removed in "
                                f"Kubernetes 1.{known.removed_in} (target {ctx.kubernetes_version})", path="apiVersion",
                                hint=f"use {known.replacement}")


class ApiDeprecated:
    """No object uses an apiVersion deprecated (not yet removed) in the target Kubernetes version.

    Deprecated versions still work but will be removed; moving early avoids a forced migration
    during a cluster upgrade.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Endpoints
    metadata: {name: legacy-db}
    subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 5432}]}]
    ```

    Passes:

    ```yaml
    apiVersion: discovery.k8s.io/v1
    kind: EndpointSlice
    metadata: {name: legacy-db}
    addressType: IPv4
    endpoints: [{addresses: [10.0.0.5]}]
    ports: [{port: 5432}]
    ```
    """

    ID = "api-deprecated"
    DESCRIPTION = "no apiVersion deprecated in the target Kubernetes version"
    SEVERITY = "warning"

    @staticmethod
    def check(res, ctx):
        known = lifecycle(res.api_version, res.kind)
        target = _minor(ctx.kubernetes_version)
        if known and target >= known.deprecated_in and not (known.removed_in is not None and target >= known.removed_in):
            yield Finding.about(res, ApiDeprecated.ID, ctx.severity, f"{res.api_version} {res.kind} is deprecated "
                                f"since Kubernetes 1.{known.deprecated_in}", path="apiVersion",
                                hint=f"use {known.replacement}")


RULES = [ApiRemoved, ApiDeprecated]
