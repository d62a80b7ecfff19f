"""Service: a long-running server with ports (Deployment, Service, Ingress, HPA, PDB)."""
from __future__ import annotations

from dataclasses import dataclass

from ..parts.autoscaling import Autoscaling
from ..parts.base import _int_in, _is_int, _require, check_keywords
from ..parts.event_scaling import EventScaling
from ..parts.ingress import Ingress
from ..parts.port import Port
from ..parts.probe import Probe
from ..workload import Workload

SERVICE_TYPES = ("ClusterIP", "Headless", "LoadBalancer")


@dataclass(frozen=True, kw_only=True)
class Service(Workload):
    """A long-running server with ports: a Deployment with its Service, Ingress, HPA and PDB.

    Defaults, each with its reason:
    - replicas=1: the smallest footprint; ask for more per environment (prod) or autoscale.
    - service: "ClusterIP" when the app has ports, so other apps reach it by name.
    - max_unavailable=0, max_surge="25%": a rollout never drops below the wanted capacity.
    - progress_deadline_seconds=600: Kubernetes' own default, written out so reviewers see it; it is
      raised automatically to cover a slow startup probe.
    - a PodDisruptionBudget (one pod at a time) whenever two or more replicas run.
    Scale on events instead (queue length, consumer lag, a Prometheus query) with
    `event_scaling=EventScaling(triggers=[...])`: a KEDA ScaledObject, and no HPA (KEDA makes its own).

    Attributes:
        ports: the container ports: `Port(...)` or plain numbers; the Service exposes them.
        readiness: `Probe.*(...)`: when a pod receives traffic.
        liveness: `Probe.*(...)`: when a wedged container is restarted (make it more lenient than readiness).
        startup: `Probe.*(...)`: holds readiness and liveness back until a slow start is over; the progress
            deadline is raised to cover it.
        ingress: `Ingress(...)`: HTTP routing from a host and path to the Service.
        autoscaling: `Autoscaling(...)`: a HorizontalPodAutoscaler owns the replica count (then `replicas` is
            not written).
        max_surge: extra pods a rollout may start above the wanted count (a number or a percentage).
        event_scaling: `EventScaling(...)`: KEDA scales the Deployment on events (see above).
    """

    ports: tuple[Port, ...] = ()
    replicas: int = 1
    readiness: Probe | None = None
    liveness: Probe | None = None
    startup: Probe | None = None
    service: str | None = "ClusterIP"
    ingress: Ingress | None = None
    autoscaling: Autoscaling | None = None
    event_scaling: EventScaling | None = None
    max_unavailable: int | str = 0
    max_surge: int | str = "25%"
    progress_deadline_seconds: int = 600

    KIND = "Service"

    def _validate(self) -> None:
        super()._validate()
        self._parts("ports", Port, allow_int=True)
        names = [p.name for p in self.ports]
        _require(len(set(names)) == len(names), "ports", f"port names must be unique, got {names}")
        numbers = [p.port for p in self.ports]
        _require(len(set(numbers)) == len(numbers), "ports", f"port numbers must be unique, got {numbers}")
        _int_in(self.replicas, "replicas", 0, 2**31 - 1)
        for name, cls in (("ingress", Ingress), ("autoscaling", Autoscaling), ("event_scaling", EventScaling)):
            value = getattr(self, name)
            _require(value is None or isinstance(value, cls), name,
                     f"got {value!r}; expected {cls.__name__}(...) or None")
        _require(self.autoscaling is None or self.event_scaling is None, "event_scaling",
                 "set autoscaling (an HPA) or event_scaling (a KEDA ScaledObject, which makes and owns its own "
                 "HPA), not both; in an environment override, set the other one to None")
        self._check_probe_ports(names)
        _require(self.service in SERVICE_TYPES or self.service is None, "service",
                 f"got {self.service!r}; expected one of {', '.join(SERVICE_TYPES)} or None")
        _require(self.service is None or bool(self.ports), "service",
                 f"got {self.service!r} but the app has no ports; declare ports or set service=None")
        _require(self.ingress is None or (self.service is not None and self.service != "Headless"), "ingress",
                 "an ingress needs a ClusterIP or LoadBalancer service")
        if self.ingress is not None and self.ingress.port is not None:
            _require(self.ingress.port in names, "ingress.port", f"got {self.ingress.port!r}; expected one of {names}")
        for name in ("max_unavailable", "max_surge"):
            value = getattr(self, name)
            ok = (_is_int(value) and value >= 0) or (isinstance(value, str) and value.endswith("%")
                                                     and value[:-1].isdigit() and int(value[:-1]) <= 100)
            _require(ok, name, f"got {value!r}; expected a whole number >= 0 or a percentage such as '25%'")
        _require(not (self.max_unavailable in (0, "0%") and self.max_surge in (0, "0%")), "max_surge",
                 "max_surge and max_unavailable cannot both be zero: the rollout could never progress")
        _int_in(self.progress_deadline_seconds, "progress_deadline_seconds", 1)


App = Service  # the name the first specs used; same class


check_keywords(Service, names_app=True)
