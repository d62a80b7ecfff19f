"""Progressive delivery with Argo Rollouts: a canary or blue-green strategy, and the Prometheus
analysis that promotes or aborts it (`Service(..., rollout=Canary(...))`, usually per environment)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .base import _int_in, _Invalid, _Part, _require, wrap_part_init

_METRIC_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


@dataclass(frozen=True, kw_only=True)
class Analysis(_Part):
    """A Prometheus query the Rollout judges the new version by (an Argo Rollouts AnalysisTemplate).

    `query` may use `{{args.service}}` and `{{args.namespace}}` (the app and its namespace, passed by
    the Rollout); `success` is Argo Rollouts' successCondition on `result` (the query's value, a
    vector for an instant query, hence `result[0]`).

    Defaults, each with its reason:
    - interval_seconds=60, count=5: five measurements a minute apart, so one noisy scrape does not
      decide a release.
    - failure_limit=1: a second failed measurement aborts the rollout (back to the stable version).
    - prometheus="http://prometheus.monitoring.svc:9090": the address of an in-cluster Prometheus
      (kube-prometheus' service); set the one your cluster has.
    """

    query: str  # the PromQL query; may use {{args.service}} and {{args.namespace}}
    success: str = "result[0] >= 0.99"  # successCondition on the query's result
    name: str = "success-rate"  # the metric's name in the AnalysisTemplate
    prometheus: str = "http://prometheus.monitoring.svc:9090"  # the Prometheus URL
    interval_seconds: int = 60
    count: int = 5
    failure_limit: int = 1

    def _validate(self) -> None:
        _require(isinstance(self.query, str) and bool(self.query.strip()), "query",
                 f"got {self.query!r}; expected a PromQL query")
        _require(isinstance(self.success, str) and "result" in self.success, "success",
                 f"got {self.success!r}; expected a condition on `result`, such as 'result[0] >= 0.99'")
        _require(isinstance(self.name, str) and bool(_METRIC_NAME.match(self.name)) and len(self.name) <= 63, "name",
                 f"got {self.name!r}; expected a lower-case metric name such as success-rate")
        _require(isinstance(self.prometheus, str) and self.prometheus.startswith(("http://", "https://")),
                 "prometheus", f"got {self.prometheus!r}; expected the Prometheus URL (http://...)")
        _int_in(self.interval_seconds, "interval_seconds", 1, 86400)
        _int_in(self.count, "count", 1, 1000)
        _int_in(self.failure_limit, "failure_limit", 0, 1000)


def _analysis(value: Any) -> None:
    _require(value is None or isinstance(value, Analysis), "analysis",
             f"got {value!r}; expected Analysis(query=...) or None")


@dataclass(frozen=True, kw_only=True)
class Canary(_Part):
    """A canary release by Argo Rollouts: the new version gets each share of the replicas in
    `steps` (percent) in turn, pausing `pause_seconds` after each; `analysis` runs in the
    background from the first step and aborts the rollout when it fails.

    Defaults, each with its reason:
    - steps=(20, 50): a small share first, then half, then all; each pause gives the analysis (and
      the people watching) time to see errors before more traffic moves.
    - pause_seconds=300: five measurements of the default Analysis fit in one pause.
    Every pause has a duration: an indefinite pause would hold the rollout (and an Argo CD sync
    waiting for it) until someone promotes it by hand.
    Without a traffic router the share is a share of replicas, so it is only as fine as the
    replica count allows.
    """

    steps: tuple[int, ...] = (20, 50)
    pause_seconds: int = 300
    analysis: Analysis | None = None  # judged in the background from the first step

    def _validate(self) -> None:
        steps = self.steps
        _require(isinstance(steps, (list, tuple)) and bool(steps)
                 and all(isinstance(s, int) and not isinstance(s, bool) and 0 < s < 100 for s in steps), "steps",
                 f"got {steps!r}; expected increasing percentages between 1 and 99, such as (20, 50)")
        _require(list(steps) == sorted(set(steps)), "steps", f"got {steps!r}; expected increasing percentages")
        object.__setattr__(self, "steps", tuple(steps))
        _int_in(self.pause_seconds, "pause_seconds", 1, 86400)
        _analysis(self.analysis)


@dataclass(frozen=True, kw_only=True)
class BlueGreen(_Part):
    """A blue-green release by Argo Rollouts: the new version starts beside the old one behind a
    preview Service (`<app>-preview`); after `analysis` passes and `auto_promote_seconds`, the
    app's Service switches to it at once, and the old pods stay `scale_down_delay_seconds` for a
    quick way back.

    Defaults, each with its reason:
    - auto_promote_seconds=600: promotion without a person; None waits for `kubectl argo rollouts
      promote` (and keeps an Argo CD sync waiting on every update until then).
    - scale_down_delay_seconds=30: long enough for clients and load balancers to move to the new
      version before the old one goes.
    """

    auto_promote_seconds: int | None = 600
    scale_down_delay_seconds: int = 30
    analysis: Analysis | None = None  # judged on the preview before promotion

    def _validate(self) -> None:
        if self.auto_promote_seconds is not None:
            _int_in(self.auto_promote_seconds, "auto_promote_seconds", 1, 86400)
        _int_in(self.scale_down_delay_seconds, "scale_down_delay_seconds", 0, 86400)
        _analysis(self.analysis)


STRATEGIES = (Canary, BlueGreen)


def check_rollout(value: Any, field_name: str = "rollout") -> None:
    if value is not None and not isinstance(value, STRATEGIES):
        raise _Invalid(field_name, f"got {value!r}; expected Canary(...), BlueGreen(...) or None (a Deployment)")


for _cls in (Analysis, Canary, BlueGreen):
    wrap_part_init(_cls)
