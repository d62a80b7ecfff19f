"""How long a container may take from start to ready, by Kubernetes' probe semantics: the one sum
shared by synthesis (which raises progressDeadlineSeconds to cover it) and the
rollout-progress-deadline rule (which flags a Deployment whose deadline does not).

The worst case is the startup probe's whole allowance (`initialDelaySeconds + periodSeconds *
failureThreshold`: the kubelet restarts the container after that) followed by the readiness
probe's first passing run (`initialDelaySeconds + periodSeconds * successThreshold`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class ProbeTiming(Protocol):
    """The timing fields of a probe: a spec `Probe` has them, `Timing.of` reads them from a manifest."""

    @property
    def initial_delay_seconds(self) -> int: ...
    @property
    def period_seconds(self) -> int: ...
    @property
    def failure_threshold(self) -> int: ...
    @property
    def success_threshold(self) -> int: ...


@dataclass(frozen=True)
class Timing:
    initial_delay_seconds: int = 0
    period_seconds: int = 10
    failure_threshold: int = 3
    success_threshold: int = 1

    @classmethod
    def of(cls, probe: Any) -> "Timing | None":
        """The timing of a manifest's probe (a mapping, camelCase keys), Kubernetes' defaults for
        missing or malformed fields; None when there is no probe."""
        if not isinstance(probe, dict):
            return None
        defaults = cls()

        def number(key: str, default: int) -> int:
            value = probe.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else default

        return cls(initial_delay_seconds=number("initialDelaySeconds", defaults.initial_delay_seconds),
                   period_seconds=number("periodSeconds", defaults.period_seconds),
                   failure_threshold=number("failureThreshold", defaults.failure_threshold),
                   success_threshold=number("successThreshold", defaults.success_threshold))


def start_budget(startup: ProbeTiming | None, readiness: ProbeTiming | None) -> int:
    """Worst-case seconds from container start to ready (0 without either probe)."""
    budget = 0
    if startup is not None:
        budget += startup.initial_delay_seconds + startup.period_seconds * startup.failure_threshold
    if readiness is not None:
        budget += readiness.initial_delay_seconds + readiness.period_seconds * readiness.success_threshold
    return budget
