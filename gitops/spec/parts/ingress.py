"""HTTP routing from a host and path to the app's Service."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..frozen import FrozenDict
from ..values import check_dns_subdomain
from .base import _Part, _require, _string_map, wrap_part_init


@dataclass(frozen=True, kw_only=True)
class Ingress(_Part):
    """HTTP routing from a host and path to the app's Service.

    Attributes:
        host: the host name routed to the app (`api.example.com`).
        path: the URL path routed to the app.
        path_type: `Prefix`, `Exact` or `ImplementationSpecific`, as in Kubernetes.
        tls_secret: the Secret holding the host's certificate; TLS is off without it.
        class_name: the IngressClass; default: the cluster profile's ingress class.
        annotations: annotations of the Ingress object (controller settings such as timeouts or rewrites).
    """

    host: str
    path: str = "/"
    path_type: str = "Prefix"
    port: str | None = None  # name of the app port to route to; default: the first port
    tls_secret: str | None = None
    class_name: str | None = None
    annotations: Mapping[str, str] = field(default_factory=FrozenDict)

    def _validate(self) -> None:
        host = self.host[2:] if isinstance(self.host, str) and self.host.startswith("*.") else self.host
        problem = check_dns_subdomain(host)
        _require(problem is None, "host", str(problem))
        _require(isinstance(self.path, str) and self.path.startswith("/"), "path",
                 f"got {self.path!r}; expected an absolute path such as /api")
        _require(self.path_type in ("Prefix", "Exact", "ImplementationSpecific"), "path_type",
                 f"got {self.path_type!r}; expected Prefix, Exact or ImplementationSpecific")
        for name in ("tls_secret", "class_name"):
            value = getattr(self, name)
            if value is not None:
                problem = check_dns_subdomain(value)
                _require(problem is None, name, str(problem))
        object.__setattr__(self, "annotations", _string_map(self.annotations, "annotations"))


wrap_part_init(Ingress)
