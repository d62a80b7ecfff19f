"""StatefulService: a server that keeps data (StatefulSet, headless Service, a claim per pod)."""
from __future__ import annotations

from dataclasses import dataclass

from ..parts.base import _require, check_keywords
from .service import Service


@dataclass(frozen=True, kw_only=True)
class StatefulService(Service):
    """A server that keeps data: a StatefulSet, a headless Service (stable pod DNS names) and one
    PersistentVolumeClaim per pod for each `Volume.pvc(..., size=...)` (volumeClaimTemplates).

    Defaults, each with its reason:
    - service="Headless": peers address pods by their stable names (it lists members still joining);
      clients get `<name>-client`, a ClusterIP Service over the ready members only.
    - pod_management="OrderedReady": members join one by one, as most clustered stores expect.
    - keep_claims=True: claims outlive a scale-down or a deletion, so data is never lost by a
      config change (persistentVolumeClaimRetentionPolicy Retain).
    - component="database".
    max_surge and progress_deadline_seconds do not apply to a StatefulSet. Kubernetes refuses changes
    to volumeClaimTemplates: to grow a disk, resize its PVC, then change the spec to match.
    """

    service: str | None = "Headless"
    component: str = "database"
    pod_management: str = "OrderedReady"
    keep_claims: bool = True

    KIND = "StatefulService"

    def _validate(self) -> None:
        super()._validate()
        _require(self.service == "Headless", "service",
                 f"got {self.service!r}; a StatefulService is reached through its headless Service")
        _require(self.pod_management in ("OrderedReady", "Parallel"), "pod_management",
                 f"got {self.pod_management!r}; expected OrderedReady or Parallel")
        _require(isinstance(self.keep_claims, bool), "keep_claims", f"got {self.keep_claims!r}; expected True or False")
        _require(any(v.owned_claim for v in self.volumes), "volumes",
                 "a StatefulService needs storage: add Volume.pvc(name, path, size='10Gi')")


check_keywords(StatefulService, names_app=True)
