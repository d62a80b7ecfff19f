"""ExternalSecrets for the secrets an app reads through `FromSecret(..., provider="ExternalSecret")`
(and secret volumes with that provider), with the secret store the environment names in gitops.yaml:

    environments:
      prod:
        secretStore: {kind: ClusterSecretStore, name: gcp-secret-manager, refreshInterval: 1h}

One ExternalSecret per Secret name (External Secrets Operator, external-secrets.io/v1): it makes
the Secret the pods read (`target.name`, creationPolicy Owner), one `data` entry per key the app
reads (remote key: `remote_key`, default the Secret's name; property: `remote_property`, default
the key), or, for a secret mounted whole, every property of the remote secret (`dataFrom.extract`).
Field meanings follow the operator's API reference (docs/workloads.md, "Secrets and identity").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..spec.values import check_dns_subdomain
from ..yamlio import line_of
from .context import Target

ENV_SETTING = "secretStore"
PROVIDER = "ExternalSecret"
API_VERSION = "external-secrets.io/v1"
STORE_KINDS = ("SecretStore", "ClusterSecretStore")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")  # Go's time.ParseDuration


@dataclass(frozen=True)
class SecretStoreRef:
    """Where an environment's ExternalSecrets read from."""

    kind: str
    name: str
    refresh_interval: str = "1h"  # how often the operator reads the store again


def parse_secret_store(value: Any, file: str, parent: Any) -> SecretStoreRef:
    """`environments.<env>.secretStore`: {kind: SecretStore|ClusterSecretStore, name, refreshInterval}."""
    def fail(message: str, key: str = ENV_SETTING, where: Any = parent) -> InputError:
        return InputError(f"{ENV_SETTING}: {message}", file=file, line=line_of(where, key))

    if not isinstance(value, dict):
        raise fail("expected {kind: ClusterSecretStore, name: <store>} (optionally refreshInterval: 1h)")
    unknown = sorted(set(value) - {"kind", "name", "refreshInterval"})
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}; expected kind, name, refreshInterval", unknown[0], value)
    kind = value.get("kind", "SecretStore")
    if kind not in STORE_KINDS:
        raise fail(f"kind: got {kind!r}; expected SecretStore or ClusterSecretStore", "kind", value)
    name = value.get("name")
    if not isinstance(name, str):
        raise fail(f"name: got {name!r}; expected the store's name", "name", value)
    problem = check_dns_subdomain(name)
    if problem:
        raise fail(f"name: {problem}", "name", value)
    interval = value.get("refreshInterval", "1h")
    if not isinstance(interval, str) or not _DURATION.match(interval):
        raise fail(f"refreshInterval: got {interval!r}; expected a duration such as 1h or 15m", "refreshInterval",
                   value)
    return SecretStoreRef(kind, name, interval)


def _references(app: Any) -> dict[str, list[Any]]:
    """Secret name -> the FromSecret values (or None for a whole mounted secret) made by the operator."""
    found: dict[str, list[Any]] = {}
    weights = getattr(app, "weights", None)
    sources = list(app.env.values()) + (list(weights.env.values()) if weights is not None else [])
    for value in sources:
        if getattr(value, "provider", None) == PROVIDER:
            found.setdefault(value.name, []).append(value)
    for volume in app.volumes:
        if volume.source == "secret" and volume.provider == PROVIDER:
            found.setdefault(volume.ref, []).append(None)
    return found


def external_secrets(t: Target) -> list[dict]:
    """The ExternalSecret objects of one target (plain data, appended after the kind's builder)."""
    references = _references(t.app)
    if not references:
        return []
    store = t.settings.get(ENV_SETTING)
    if not isinstance(store, SecretStoreRef):
        first = sorted(references)[0]
        raise InputError(f"app {t.name!r}: Secret {first!r} is made by an ExternalSecret, but environment {t.env!r} "
                         f"names no secret store; add to gitops.yaml environments.{t.env}: "
                         "secretStore: {kind: ClusterSecretStore, name: <your store>}",
                         file=t.spec_file, line=t.spec_line)
    out = []
    for name in sorted(references):
        refs = references[name]
        spec: dict[str, Any] = {
            "refreshInterval": store.refresh_interval,
            "secretStoreRef": {"kind": store.kind, "name": store.name},
            "target": {"name": name, "creationPolicy": "Owner"},
        }
        if None in refs:  # mounted whole: every property of the remote secret
            spec["dataFrom"] = [{"extract": {"key": name}}]
        else:
            data = {}
            for ref in refs:
                remote = {"key": ref.remote_key or name}
                prop = ref.remote_property if ref.remote_key else (ref.remote_property or ref.key)
                if prop:
                    remote["property"] = prop
                data[ref.key] = {"secretKey": ref.key, "remoteRef": remote}
            spec["data"] = [data[key] for key in sorted(data)]
        out.append({"apiVersion": API_VERSION, "kind": "ExternalSecret",
                    "metadata": {"name": name, "namespace": t.namespace, "labels": t.labels()}, "spec": spec})
    return out
