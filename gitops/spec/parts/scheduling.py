"""Where pods run: node selection, affinity, spreading, tolerations and priority.

A spec states what the app needs; what a GPU node looks like on a given cluster (its label and
taint) comes from the cluster profile (gitops.yaml), so one spec deploys on GKE and EKS alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..frozen import FrozenDict
from .base import _Part, _require, _string_map, wrap_part_init
from ..values import check_dns_subdomain, check_label_key, check_label_value

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
ANTI_AFFINITY = ("preferred", "required")
HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


@dataclass(frozen=True, kw_only=True)
class Toleration(_Part):
    """Lets pods run on nodes with a matching taint. No value means any value (operator Exists).

    Attributes:
        key: the taint's key.
        value: the taint's value (None: any value, operator Exists).
        effect: `NoSchedule`, `PreferNoSchedule` or `NoExecute` (None: any effect).
    """

    key: str
    value: str | None = None
    effect: str | None = "NoSchedule"

    def _validate(self) -> None:
        problem = check_label_key(self.key)
        _require(problem is None, "key", str(problem))
        if self.value is not None:
            problem = check_label_value(self.value)
            _require(problem is None, "value", str(problem))
        _require(self.effect is None or self.effect in EFFECTS, "effect",
                 f"got {self.effect!r}; expected one of {', '.join(EFFECTS)} or None (every effect)")

    def as_dict(self) -> dict[str, str]:
        out = {"key": self.key, "operator": "Exists" if self.value is None else "Equal"}
        if self.value is not None:
            out["value"] = self.value
        if self.effect is not None:
            out["effect"] = self.effect
        return out


def _tuple_map(value: Any, field_name: str) -> FrozenDict:
    """{label key: value or list of values} -> {key: tuple of values}."""
    _require(isinstance(value, Mapping), field_name, f"got {value!r}; expected a mapping of label key to values")
    out = {}
    for key, values in value.items():
        problem = check_label_key(key)
        _require(problem is None, field_name, str(problem))
        values = (values,) if isinstance(values, str) else values
        _require(isinstance(values, (list, tuple)) and bool(values) and all(isinstance(v, str) for v in values),
                 f"{field_name}[{key!r}]", f"got {values!r}; expected a label value or a list of them")
        out[key] = tuple(values)
    return FrozenDict(out)


@dataclass(frozen=True, kw_only=True)
class Scheduling(_Part):
    """Placement of the app's pods.

    - node_selector: labels a node must carry (exact values).
    - node_affinity: label key -> allowed values (required); prefer_nodes: the same, preferred.
    - anti_affinity: "preferred" or "required" keeps this app's pods on different nodes.
    - colocate_with: names of other apps whose nodes this app prefers (e.g. a cache beside its API).
    - spread: topology keys to spread replicas over; default (None) is the hostname when the app
      runs several replicas. Use ("topology.kubernetes.io/zone", "kubernetes.io/hostname") for zones.
    - tolerations, priority_class: as in Kubernetes.
    GPU placement (the GPU node label and taint) is added from the cluster profile automatically.

    Attributes:
        prefer_nodes: label key -> values the scheduler prefers (preferred node affinity).
        priority_class: the PriorityClass of the pods (it must exist in the cluster; docs/admission.md).
    """

    node_selector: Mapping[str, str] = field(default_factory=FrozenDict)
    node_affinity: Mapping[str, Any] = field(default_factory=FrozenDict)
    prefer_nodes: Mapping[str, Any] = field(default_factory=FrozenDict)
    anti_affinity: str | None = None
    colocate_with: tuple[str, ...] = ()
    spread: tuple[str, ...] | None = None
    tolerations: tuple[Toleration, ...] = ()
    priority_class: str | None = None

    def _validate(self) -> None:
        object.__setattr__(self, "node_selector", _string_map(self.node_selector, "node_selector",
                                                              check_label_key, check_label_value))
        object.__setattr__(self, "node_affinity", _tuple_map(self.node_affinity, "node_affinity"))
        object.__setattr__(self, "prefer_nodes", _tuple_map(self.prefer_nodes, "prefer_nodes"))
        _require(self.anti_affinity is None or self.anti_affinity in ANTI_AFFINITY, "anti_affinity",
                 f"got {self.anti_affinity!r}; expected one of {', '.join(ANTI_AFFINITY)} or None")
        for name in ("colocate_with",) + (("spread",) if self.spread is not None else ()):
            value = getattr(self, name)
            _require(isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value), name,
                     f"got {value!r}; expected a list of strings")
            object.__setattr__(self, name, tuple(value))
        for key in self.spread or ():
            problem = check_label_key(key)
            _require(problem is None, "spread", f"{problem} (a node label key such as {ZONE})")
        _require(isinstance(self.tolerations, (list, tuple)) and all(isinstance(t, Toleration) for t in self.tolerations),
                 "tolerations", f"got {self.tolerations!r}; expected a list of Toleration(...)")
        object.__setattr__(self, "tolerations", tuple(self.tolerations))
        if self.priority_class is not None:
            problem = check_dns_subdomain(self.priority_class)
            _require(problem is None, "priority_class", str(problem))


for _cls in (Toleration, Scheduling):
    wrap_part_init(_cls)

