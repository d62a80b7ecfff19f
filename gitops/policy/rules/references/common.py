"""What the references rules share."""
from __future__ import annotations

import fnmatch
import os

from ....findings import Found
from ...api import (
    POD_OWNER_KINDS,
    as_map,
    containers,
    items,
    makes_pods,
    pod_spec,
)

POD_OWNERS = POD_OWNER_KINDS


def _pods_selected(ctx, namespace: str, selector) -> list:
    return ctx.selected(namespace, selector, *POD_OWNERS)


def _selects_nothing(ctx, obj, selector, path: str, what: str):
    """The finding for a selector that matches no workload of the set: an error, unless a custom
    resource in the namespace may make pods we cannot see (an operator's), then only an info."""
    makers = sorted({r.ref() for r in ctx.resources if r.namespace == obj.namespace and makes_pods(r)})
    if not makers and os.path.dirname(os.path.abspath(obj.origin.file)) in ctx.unseen:
        yield Found(obj, f"{what} {selector} matches no workload in the set; cannot tell whether the templates "
                    "skipped in its folder make the pods", path=path, unsure=True)
    elif makers:
        yield Found(obj, f"{what} {selector} matches no workload in the set; cannot tell "
                    f"whether pods of {', '.join(makers[:3])}{' ...' if len(makers) > 3 else ''} match it",
                    path=path, hint="if an operator makes those pods, ignore this; else fix the selector", unsure=True)
    else:
        yield Found(obj, f"{what} {selector} matches no pods of any workload in the "
                    "set", path=path)


def _external(ctx, kind: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(f"{kind}/{name}", pattern) for pattern in ctx.options["external"] or [])


def pod_refs(res) -> list[tuple[str, str, str]]:
    """(kind, name, JSON path) of every ConfigMap, Secret, PVC and ServiceAccount a pod uses."""
    spec, base = pod_spec(res)
    if spec is None:
        return []
    out = []
    # A StatefulSet's claim templates replace pod volumes of the same name (one PVC per pod).
    templated = {as_map(t.get("metadata")).get("name") for _, t in items(as_map(res.obj.get("spec")).get(
        "volumeClaimTemplates"))} if res.kind == "StatefulSet" else set()
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
        if claim.get("claimName") and volume.get("name") not in templated:
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


def _secrets_made_in_cluster(ctx, namespace: str) -> set[str]:
    """Secrets a workload of the set creates at run time: a Role of the namespace grants `create` on
    secrets and names them in `resourceNames` (Argo CD's redis-secret-init, cert generators)."""
    out: set[str] = set()
    roles = list(ctx.in_namespace(namespace, "Role")) + (list(ctx.in_namespace("", "Role")) if namespace else [])
    for role in roles:  # a Role without a namespace lands in the namespace it is applied to
        rules = [r for _, r in items(role.obj.get("rules"))]
        if any("secrets" in (r.get("resources") or []) and "create" in (r.get("verbs") or []) for r in rules):
            for r in rules:
                if "secrets" in (r.get("resources") or []):
                    out |= {n for n in r.get("resourceNames") or [] if isinstance(n, str)}
    return out


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
