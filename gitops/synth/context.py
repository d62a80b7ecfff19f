"""What a builder needs to know besides the spec: environment, namespace, standard labels."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ..spec.workload import Workload

W = TypeVar("W", bound="Workload", covariant=True)

MANAGED_BY = "gitops"


@dataclass(frozen=True)
class Target(Generic[W]):
    """One app in one environment: the unit of synthesis, caching and parallel work."""

    app: W  # the spec resolved for `env` (a Service or another workload kind)
    env: str
    production: bool
    namespace: str
    spec_file: str
    spec_line: int
    settings: dict = field(default_factory=dict)  # environment settings other sections use
    input_key: str = ""  # hash of everything this target is made from, when known (cache key)

    @property
    def name(self) -> str:
        return self.app.name

    @property
    def cluster(self) -> Any:
        """The environment's ClusterProfile (GPU nodes, storage and ingress classes)."""
        from .cluster import BUILTIN, DEFAULT_PROFILE

        profile = self.settings.get("cluster")
        if isinstance(profile, str):
            return BUILTIN[profile]
        return profile or BUILTIN[DEFAULT_PROFILE]

    def selector_labels(self) -> dict[str, str]:
        """Labels that select the app's pods. Never changes across versions: selectors are immutable."""
        return {"app.kubernetes.io/name": self.app.name, "app.kubernetes.io/instance": f"{self.app.name}-{self.env}"}

    def labels(self) -> dict[str, str]:
        """The standard labels of every object the app makes. Not the version: an object that does not
        change with the image (Service, ConfigMap, PDB, claim, ...) must not change with it either, or an
        image bump rewrites every object (docs/workloads.md, "Labels")."""
        labels = dict(self.app.labels)
        labels.update(self.selector_labels())
        labels.update({
            "app.kubernetes.io/component": self.app.component,
            "app.kubernetes.io/part-of": self.app.part_of or self.app.name,
            "app.kubernetes.io/managed-by": MANAGED_BY,
        })
        return labels

    def workload_labels(self) -> dict[str, str]:
        """The labels of the workload object and its pods: the standard ones and the version they run."""
        return {**self.labels(), "app.kubernetes.io/version": self.app.version}
