"""What the references rules share."""
from __future__ import annotations

import fnmatch

from ...api import WORKLOAD_KINDS, as_map, containers, items, pod_spec

POD_OWNERS = tuple(k for k in WORKLOAD_KINDS)


def _pods_selected(ctx, namespace: str, selector) -> list:
    return ctx.selected(namespace, selector, *POD_OWNERS)


def _external(ctx, kind: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(f"{kind}/{name}", pattern) for pattern in ctx.options["external"] or [])


def pod_refs(res) -> list[tuple[str, str, str]]:
    """(kind, name, JSON path) of every ConfigMap, Secret, PVC and ServiceAccount a pod uses."""
    spec, base = pod_spec(res)
    if spec is None:
        return []
    out = []
    account = spec.get("serviceAccountName")
    if account and account != "default":
        out.append(("ServiceAccount", account, f"{base}.serviceAccountName"))
    for i, volume in items(spec.get("volumes")):
        where = f"{base}.volumes[{i}]"
        config_map, secret, claim = (as_map(volume.get(k)) for k in ("configMap", "secret", "persistentVolumeClaim"))
        if config_map.get("name") and not config_map.get("optional"):
            out.append(("ConfigMap", config_map["name"], f"{where}.configMap.name"))
        if secret.get("secretName") and not secret.get("optional"):
            out.append(("Secret", secret["secretName"], f"{where}.secret.secretName"))
        if claim.get("claimName"):
            out.append(("PersistentVolumeClaim", claim["claimName"], f"{where}.persistentVolumeClaim.claimName"))
    for i, pull in items(spec.get("imagePullSecrets")):
        if pull.get("name"):
            out.append(("Secret", pull["name"], f"{base}.imagePullSecrets[{i}].name"))
    for c, path in containers(res):
        for i, var in items(c.get("env")):
            source = as_map(var.get("valueFrom"))
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = as_map(source.get(key))
                if ref.get("name") and not ref.get("optional"):
                    out.append((kind, ref["name"], f"{path}.env[{i}].valueFrom.{key}.name"))
        for i, source in items(c.get("envFrom")):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = as_map(source.get(key))
                if ref.get("name") and not ref.get("optional"):
                    out.append((kind, ref["name"], f"{path}.envFrom[{i}].{key}.name"))
    return out


SECRET_SOURCES = "gitops.dev/secret-sources"


SECRET_PROVIDERS = ("ExternalSecret", "SealedSecret")


def _provided_secrets(res) -> set[str]:
    """Secrets the workload says an ExternalSecret or SealedSecret makes (annotation written by
    synthesis from `FromSecret(provider=...)`: `ExternalSecret/db,SealedSecret/wandb`)."""
    value = (res.metadata.get("annotations") or {}).get(SECRET_SOURCES)
    if not isinstance(value, str):
        return set()
    out = set()
    for item in value.split(","):
        provider, _, name = item.strip().partition("/")
        if provider in SECRET_PROVIDERS and name:
            out.add(name)
    return out
