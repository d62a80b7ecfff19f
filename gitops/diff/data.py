"""The data a change deletes, in words: claims, StatefulSet claims and namespaces that hold them.

A deleted claim takes its volume with it (reclaim policy Delete, the default of provisioned
volumes), so a rename or removal that looks harmless in a diff can delete checkpoints. Objects
protected from prune (Argo CD `Prune=false`, Flux `kustomize.toolkit.fluxcd.io/prune: disabled`)
are said to be kept: the controller leaves them and someone deletes them by hand. docs/data-safety.md.
"""
from __future__ import annotations

from typing import Any

from ..manifests.resource import Resource
from .compare import Plan

SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
FLUX_PRUNE = "kustomize.toolkit.fluxcd.io/prune"


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def protected(res: Resource) -> bool:
    """Whether Argo CD and Flux leave the object when it leaves git."""
    notes = _map(res.metadata.get("annotations"))
    options = {o.strip() for o in str(notes.get(SYNC_OPTIONS) or "").split(",")}
    return "Prune=false" in options or notes.get(FLUX_PRUNE) == "disabled"


def _size(claim: Resource) -> str:
    storage = _map(_map(_map(claim.obj.get("spec")).get("resources")).get("requests")).get("storage")
    return f" ({storage})" if storage else ""


def _where(res: Resource) -> str:
    return f" in {res.origin.env}" if res.origin.env else ""


def _templates(sts: Resource) -> list[str]:
    spec = _map(sts.obj.get("spec"))
    return [str(_map(t.get("metadata")).get("name")) for t in spec.get("volumeClaimTemplates") or [] if isinstance(t, dict)]


def _claim(res: Resource, verb: str) -> str:
    if protected(res):
        return (f"claim {res.ref()}{_size(res)}{_where(res)} leaves the manifests but is kept (protected from "
                "prune): delete it by hand once its data is safe")
    return f"{verb} claim {res.ref()}{_size(res)}{_where(res)} and the volume behind it, with its data"


def effects(plan: Plan, before: list[Resource] | None = None) -> list[str]:
    """One sentence per piece of data the plan deletes (or leaves behind, protected)."""
    lines: list[str] = []
    deleted_claims = {(c.env, c.old.namespace, c.old.name) for c in plan.of("delete")
                      if c.old is not None and c.old.kind == "PersistentVolumeClaim"}
    for c in plan.changes:
        old = c.old
        if old is None:
            continue
        if c.action == "delete" and old.kind == "PersistentVolumeClaim":
            lines.append(_claim(old, "deletes"))
        elif c.action == "rename" and old.kind == "PersistentVolumeClaim" and c.new is not None:
            lines.append(f"renames claim {old.ref()} to {c.new.ref()}{_where(old)}: the new claim starts empty; "
                         + (_claim(old, "and deletes")))
        elif c.action in ("delete", "rename") and old.kind == "StatefulSet" and _templates(old):
            policy = _map(_map(old.obj.get("spec")).get("persistentVolumeClaimRetentionPolicy"))
            claims = ", ".join(f"{t}-{old.name}-N" for t in _templates(old))
            if policy.get("whenDeleted") == "Delete":
                lines.append(f"deletes the claims of every member of {old.ref()}{_where(old)} ({claims}) with the "
                             "StatefulSet (whenDeleted: Delete)")
            else:
                lines.append(f"keeps the claims of {old.ref()}{_where(old)} ({claims}): whenDeleted is Retain; "
                             "delete them by hand once their data is safe")
        elif c.action == "delete" and old.kind == "Namespace":
            inside = sorted(f"{k[1]}/{k[2]}" for k in deleted_claims if k[0] == c.env and k[1] == old.name)
            held = f", with the claims {', '.join(inside)}" if inside else ""
            if protected(old):
                lines.append(f"namespace {old.name}{_where(old)} leaves the manifests but is kept (protected from "
                             "prune), and so are the objects left in it")
            else:
                lines.append(f"deletes namespace {old.name}{_where(old)} and everything left in it{held}")
    return lines


def text(plan: Plan) -> list[str]:
    found = effects(plan)
    if not found:
        return []
    return ["", "Data this change deletes:"] + [f"  - {line}" for line in found]
