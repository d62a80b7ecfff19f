"""A HorizontalPodAutoscaler's targets: resource utilisation and custom or external metrics."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..frozen import FrozenDict
from ..values import check_dns_subdomain, check_label_key, check_label_value, parse_quantity
from .base import _int_in, _Invalid, _Part, _require, _string_map, wrap_part_init

METRIC_KINDS = ("pods", "object", "external")


@dataclass(frozen=True, kw_only=True)
class Metric(_Part):
    """A custom or external autoscaling metric (served by a metrics adapter such as prometheus-adapter
    or KEDA). Build one with Metric.pods, Metric.object or Metric.external.

    - pods: a per-pod metric averaged over the pods (requests in flight per replica).
    - object: a metric of one other object (requests per second on an Ingress).
    - external: a metric from outside the cluster (queue length of a cloud queue).
    Targets are quantities: `average_value` (divided by the replica count) or `value` (the total).

    Attributes:
        kind: `pods`, `object` or `external` (use the class methods).
        name: the metric's name as the metrics adapter serves it.
        average_value: target per replica (a quantity).
        value: target in total (a quantity); `object` and `external` metrics.
        selector: labels that pick the metric's series (external and pods metrics).
        object_kind: with kind `object`: the kind of the object the metric describes (`Ingress`).
        object_name: with kind `object`: that object's name.
        object_api_version: with kind `object`: that object's apiVersion.
    """

    kind: str
    name: str
    average_value: str | None = None
    value: str | None = None
    selector: Mapping[str, str] = field(default_factory=FrozenDict)
    object_kind: str | None = None
    object_name: str | None = None
    object_api_version: str = "v1"

    @classmethod
    def pods(cls, name: str, average_value: str | int, **kw: Any) -> "Metric":
        return cls(kind="pods", name=name, average_value=str(average_value), **kw)

    @classmethod
    def object(cls, name: str, kind: str, object_name: str, value: str | int | None = None,
               average_value: str | int | None = None, api_version: str = "v1", **kw: Any) -> "Metric":
        return cls(kind="object", name=name, object_kind=kind, object_name=object_name, object_api_version=api_version,
                   value=None if value is None else str(value),
                   average_value=None if average_value is None else str(average_value), **kw)

    @classmethod
    def external(cls, name: str, value: str | int | None = None, average_value: str | int | None = None,
                 **kw: Any) -> "Metric":
        return cls(kind="external", name=name, value=None if value is None else str(value),
                   average_value=None if average_value is None else str(average_value), **kw)

    def _validate(self) -> None:
        _require(self.kind in METRIC_KINDS, "kind", f"got {self.kind!r}; expected one of {', '.join(METRIC_KINDS)}")
        _require(isinstance(self.name, str) and bool(re.match(r"^[A-Za-z_:][A-Za-z0-9_:.\-/]*$", self.name)), "name",
                 f"got {self.name!r}; expected a metric name such as http_requests_in_flight")
        _require((self.value is None) != (self.average_value is None), "value",
                 "set exactly one of value (the total) or average_value (per replica)")
        _require(self.kind != "pods" or self.value is None, "value", "a pods metric is always an average_value")
        for name in ("value", "average_value"):
            if getattr(self, name) is not None:
                try:
                    parse_quantity(getattr(self, name))
                except ValueError as exc:
                    raise _Invalid(name, str(exc)) from None
        object.__setattr__(self, "selector", _string_map(self.selector, "selector", check_label_key, check_label_value))
        if self.kind == "object":
            _require(isinstance(self.object_kind, str) and self.object_kind[:1].isupper(), "object_kind",
                     f"got {self.object_kind!r}; expected a kind such as Ingress")
            problem = check_dns_subdomain(self.object_name)
            _require(problem is None, "object_name", str(problem))


@dataclass(frozen=True, kw_only=True)
class Autoscaling(_Part):
    """A HorizontalPodAutoscaler. At least one target; utilisation is a percent of the request.

    Defaults, each with its reason:
    - cpu_percent=70: headroom for a burst while new replicas start.
    - scale_down_stabilization_seconds=300: scale down only after 5 minutes of lower load, so a
      short dip does not drop warm replicas (costly for servers that load a model).
    - scale_up_stabilization_seconds=None: Kubernetes' default (0), react to load at once.

    Attributes:
        min_replicas: the fewest replicas the autoscaler keeps (at least 1).
        max_replicas: the most replicas it may run.
        memory_percent: target average memory use, in percent of the request (None: no memory target).
        metrics: `Metric.*(...)`: custom or external targets besides CPU and memory.
    """

    min_replicas: int
    max_replicas: int
    cpu_percent: int | None = 70
    memory_percent: int | None = None
    metrics: tuple[Metric, ...] = ()
    scale_up_stabilization_seconds: int | None = None
    scale_down_stabilization_seconds: int = 300

    def _validate(self) -> None:
        _int_in(self.min_replicas, "min_replicas", 1)
        _int_in(self.max_replicas, "max_replicas", 1)
        _require(self.max_replicas >= self.min_replicas, "max_replicas",
                 f"got {self.max_replicas}; must be at least min_replicas ({self.min_replicas})")
        for name in ("cpu_percent", "memory_percent"):
            if getattr(self, name) is not None:
                _int_in(getattr(self, name), name, 1, 1000)
        _require(isinstance(self.metrics, (list, tuple)) and all(isinstance(m, Metric) for m in self.metrics),
                 "metrics", f"got {self.metrics!r}; expected a list of Metric.pods/object/external(...)")
        object.__setattr__(self, "metrics", tuple(self.metrics))
        _require(self.cpu_percent is not None or self.memory_percent is not None or bool(self.metrics),
                 "cpu_percent", "set cpu_percent, memory_percent or metrics: an autoscaler needs a target")
        if self.scale_up_stabilization_seconds is not None:
            _int_in(self.scale_up_stabilization_seconds, "scale_up_stabilization_seconds", 0, 3600)
        _int_in(self.scale_down_stabilization_seconds, "scale_down_stabilization_seconds", 0, 3600)



for _cls in (Metric, Autoscaling):
    wrap_part_init(_cls)
