"""ModelServer: a Service that loads large model weights before it can answer."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..parts.base import _int_in, _require, check_keywords
from ..parts.probe import Probe
from ..parts.weights import Weights
from .service import Service


@dataclass(frozen=True, kw_only=True)
class ModelServer(Service):
    """A Service with a model-serving profile: it loads large weights before it can answer.

    Defaults, each with its reason:
    - model_load_seconds=600: the startup budget. The startup probe (on `health_path`, every 10 s)
      allows this long before the kubelet restarts the container; a large initialDelaySeconds
      would instead delay every start, even warm ones. progressDeadlineSeconds is raised to cover
      it, so a slow but healthy rollout is not reported as failed.
    - readiness on `ready_path` (default: `health_path`) every 5 s with a 5 s timeout, 3 failures:
      traffic only reaches a replica whose model answers; a replica busy on its GPU (a long batch
      holds the server's event loop) answers slowly rather than not at all, hence 5 s, not 1 s.
    - liveness on `health_path` every 20 s with a 10 s timeout, 6 failures: a wedged server is
      restarted after two minutes without an answer, never because it was busy; only after the
      startup probe passed (liveness does not run before). Readiness and liveness thus differ.
    - drain_seconds=30 and a preStop sleep of 10 s: on shutdown the pod first leaves the Service's
      endpoints (the sleep lets kube-proxy and load balancers notice) and then has drain_seconds
      to finish the requests in flight; terminationGracePeriodSeconds is their sum.
    - max_unavailable=0 (enforced): a rollout never removes a loaded replica before its
      replacement has loaded; capacity of a model server is slow to get back.
    - a PodDisruptionBudget (one pod at a time) at any replica count: an autoscaler may add
      replicas, and a node-pool drain must never take two loaded replicas at once.
    - component="model-server".
    Explicit probes in the spec replace the derived ones; `pre_stop` and `termination_grace_seconds`
    replace the derived shutdown.

    Attributes:
        health_path: the HTTP path of the startup and liveness probes.
        ready_path: the HTTP path of the readiness probe (default: `health_path`).
        weights: `Weights.*(...)`: where the model comes from (an existing claim, or a download before start).
    """

    component: str = "model-server"
    model_load_seconds: int = 600
    health_path: str = "/healthz"
    ready_path: str | None = None
    drain_seconds: int = 30
    weights: Weights | None = None

    PRE_STOP_SLEEP_SECONDS = 10

    KIND = "ModelServer"
    STARTUP_PERIOD_SECONDS = 10

    def _validate(self) -> None:
        super()._validate()
        _require(bool(self.ports), "ports", "a ModelServer serves requests: declare its port(s)")
        _int_in(self.model_load_seconds, "model_load_seconds", 10, 7200)
        _require(isinstance(self.health_path, str) and self.health_path.startswith("/"), "health_path",
                 f"got {self.health_path!r}; expected an absolute URL path such as /healthz")
        _require(self.ready_path is None or (isinstance(self.ready_path, str) and self.ready_path.startswith("/")),
                 "ready_path", f"got {self.ready_path!r}; expected an absolute URL path such as /ready")
        _int_in(self.drain_seconds, "drain_seconds", 0, 3600)
        _require(self.max_unavailable in (0, "0%"), "max_unavailable",
                 f"got {self.max_unavailable!r}; a ModelServer keeps every loaded replica until its replacement is ready (0)")
        _require(self.weights is None or isinstance(self.weights, Weights), "weights",
                 f"got {self.weights!r}; expected Weights.from_pvc(...) or Weights.download(...)")
        if self.weights is not None:
            names = {v.name for v in self.volumes}
            _require("model-weights" not in names, "volumes", "the volume name 'model-weights' is reserved for weights")

    def probes(self) -> tuple[Probe | None, Probe | None, Probe | None]:
        port = self.ports[0].name
        startup = self.startup or Probe.http(
            self.health_path, port=port, period_seconds=self.STARTUP_PERIOD_SECONDS, timeout_seconds=5,
            failure_threshold=max(1, math.ceil(self.model_load_seconds / self.STARTUP_PERIOD_SECONDS)))
        readiness = self.readiness or Probe.http(self.ready_path or self.health_path, port=port, period_seconds=5,
                                                 timeout_seconds=5, failure_threshold=3)
        liveness = self.liveness or Probe.http(self.health_path, port=port, period_seconds=20, timeout_seconds=10,
                                               failure_threshold=6)
        return readiness, liveness, startup

    def shutdown(self) -> tuple[int | tuple[str, ...], int]:
        """(preStop, terminationGracePeriodSeconds): the spec's `pre_stop` and
        `termination_grace_seconds` when set, else a 10 s sleep and the sleep plus drain_seconds."""
        stop = self.pre_stop if self.pre_stop is not None else self.PRE_STOP_SLEEP_SECONDS
        sleep = stop if isinstance(stop, int) else self.PRE_STOP_SLEEP_SECONDS  # a command's length is unknown
        grace = self.termination_grace_seconds
        return stop, grace if grace is not None else sleep + self.drain_seconds


check_keywords(ModelServer, names_app=True)
