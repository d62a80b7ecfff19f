"""Env var values read from a ConfigMap or a Secret that exist outside the spec."""
from __future__ import annotations

from dataclasses import dataclass

from ..values import check_dns_subdomain
from .base import _Part, _require, wrap_part_init

SECRET_PROVIDERS = ("ExternalSecret", "SealedSecret")


@dataclass(frozen=True, kw_only=True)
class FromConfigMap(_Part):
    """An env var read from a key of a ConfigMap that exists outside this spec.

    Attributes:
        name: the ConfigMap (or Secret) to read from, in the app's namespace.
        key: the key to read.
        optional: start the pod even when the object or key is missing (the variable is then unset).
    """

    name: str
    key: str
    optional: bool = False

    def _validate(self) -> None:
        problem = check_dns_subdomain(self.name)
        _require(problem is None, "name", str(problem))
        _require(isinstance(self.key, str) and bool(self.key), "key", f"got {self.key!r}; expected a key name")


@dataclass(frozen=True, kw_only=True)
class FromSecret(FromConfigMap):
    """An env var read from a key of a Secret. Secrets are referenced, never written: the Secret
    exists in the cluster, or is made there by the ExternalSecret or SealedSecret named by
    `provider` (recorded on the workload so reviewers see where the value comes from).

    provider="ExternalSecret": gitops writes the ExternalSecret too (synth/secrets.py), reading the
    environment's `secretStore` (gitops.yaml). `remote_key` is the secret's name in that store
    (default: `name`); `remote_property` the field inside it (default: `key` when remote_key is
    not given, else the whole value).

    Attributes:
        provider: the ExternalSecret or SealedSecret that makes the Secret (`ExternalSecret/db`), recorded on
            the workload.
        remote_key: with provider `ExternalSecret`: the secret's name in the store (default: `name`).
        remote_property: with provider `ExternalSecret`: the field inside it (see above).
    """

    provider: str | None = None
    remote_key: str | None = None
    remote_property: str | None = None

    def _validate(self) -> None:
        super()._validate()
        _require(self.provider is None or self.provider in SECRET_PROVIDERS, "provider",
                 f"got {self.provider!r}; expected one of {', '.join(SECRET_PROVIDERS)} or None (an existing Secret)")
        for name in ("remote_key", "remote_property"):
            value = getattr(self, name)
            _require(value is None or (isinstance(value, str) and bool(value.strip())), name,
                     f"got {value!r}; expected the name in the secret store")
            _require(value is None or self.provider == "ExternalSecret", name,
                     f"{name} needs provider=\"ExternalSecret\" (gitops writes that object only)")



for _cls in (FromConfigMap, FromSecret):
    wrap_part_init(_cls)
