"""A container port and the Service port it is exposed on."""
from __future__ import annotations

from dataclasses import dataclass

from ..values import check_dns_label
from .base import _int_in, _Part, _require, wrap_part_init

PROTOCOLS = ("TCP", "UDP", "SCTP")


@dataclass(frozen=True, kw_only=True)
class Port(_Part):
    """A container port. `service_port` is what the Service exposes (default: the same number).

    Attributes:
        port: the container port number (1 to 65535).
        name: the port's name (at most 15 characters); probes and the Ingress refer to it.
        protocol: `TCP`, `UDP` or `SCTP`.
        service_port: the port the Service exposes (default: the same number).
    """

    port: int
    name: str = "http"
    protocol: str = "TCP"
    service_port: int | None = None

    def _validate(self) -> None:
        _int_in(self.port, "port", 1, 65535)
        problem = check_dns_label(self.name, 15)
        _require(problem is None, "name", f"{problem} (port names are IANA service names)")
        _require(self.protocol in PROTOCOLS, "protocol", f"got {self.protocol!r}; expected one of {', '.join(PROTOCOLS)}")
        if self.service_port is not None:
            _int_in(self.service_port, "service_port", 1, 65535)



wrap_part_init(Port)
