"""Health checks: startup, readiness and liveness probes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..values import check_dns_label
from .base import _int_in, _is_int, _Part, _require, wrap_part_init


@dataclass(frozen=True, kw_only=True)
class Probe(_Part):
    """A health check. Build one with Probe.http, Probe.tcp, Probe.exec or Probe.grpc.

    Attributes:
        kind: `http`, `tcp`, `exec` or `grpc` (use the class methods).
        port: the port to probe: a number or a declared port's name (http, tcp, grpc).
        path: the URL path of an http probe (`/healthz`).
        command: the command of an exec probe; exit code 0 is healthy.
        grpc_service: the service name sent in a gRPC health check (default: the server's overall health).
        initial_delay_seconds: seconds before the first probe (prefer a startup probe for slow starts).
        period_seconds: seconds between probes.
        timeout_seconds: seconds a probe may take before it counts as failed (Kubernetes' default 1 s is short
            for a busy server).
        failure_threshold: consecutive failures before the probe fails (the pod leaves the endpoints, or is
            restarted).
        success_threshold: consecutive successes before a failed readiness probe passes again (1 for liveness
            and startup).
    """

    kind: str
    port: int | str | None = None
    path: str | None = None
    command: tuple[str, ...] = ()
    grpc_service: str | None = None
    initial_delay_seconds: int = 0
    period_seconds: int = 10
    timeout_seconds: int = 1
    failure_threshold: int = 3
    success_threshold: int = 1

    KINDS = ("http", "tcp", "exec", "grpc")

    @classmethod
    def http(cls, path: str, port: int | str = "http", **timing: Any) -> "Probe":
        return cls(kind="http", path=path, port=port, **timing)

    @classmethod
    def tcp(cls, port: int | str = "http", **timing: Any) -> "Probe":
        return cls(kind="tcp", port=port, **timing)

    @classmethod
    def exec(cls, *command: str, **timing: Any) -> "Probe":
        return cls(kind="exec", command=tuple(command), **timing)

    @classmethod
    def grpc(cls, port: int, service: str | None = None, **timing: Any) -> "Probe":
        return cls(kind="grpc", port=port, grpc_service=service, **timing)

    def _validate(self) -> None:
        _require(self.kind in self.KINDS, "kind", f"got {self.kind!r}; expected one of {', '.join(self.KINDS)}")
        if self.kind in ("http", "tcp", "grpc"):
            if self.kind == "grpc" or _is_int(self.port):
                _int_in(self.port, "port", 1, 65535)
            else:
                problem = check_dns_label(self.port, 15)
                _require(problem is None, "port", f"{problem} (a port number or the name of a declared port)")
        if self.kind == "http":
            _require(isinstance(self.path, str) and self.path.startswith("/"), "path",
                     f"got {self.path!r}; expected an absolute URL path such as /healthz")
        if self.kind == "exec":
            object.__setattr__(self, "command", tuple(self.command))
            _require(bool(self.command) and all(isinstance(c, str) for c in self.command), "command",
                     f"got {self.command!r}; expected a non-empty list of strings")
        _int_in(self.initial_delay_seconds, "initial_delay_seconds", 0)
        for name in ("period_seconds", "timeout_seconds", "failure_threshold", "success_threshold"):
            _int_in(getattr(self, name), name, 1)



wrap_part_init(Probe)
