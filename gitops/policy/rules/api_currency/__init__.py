"""API currency: apiVersions the target Kubernetes version (gitops.yaml `kubernetesVersion`) still serves.

The table is schema validation's (`gitops.schema.deprecations`): one list of API lifecycles."""
from . import (
    api_deprecated,
    api_removed,
)

RULES = (
    api_deprecated,
    api_removed,
)
