"""Which GitOps controller syncs an object of the set, and how: the Argo CD Application or Flux
Kustomization whose source path holds its file, with the sync policy that decides what happens
when the object is deleted on the cluster (self-heal) or leaves git (prune, cascade delete)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Iterator

from ....manifests.resource import Resource
from ...api import as_map
from .common import clean_path, git_sources, is_application


def folder_of(res: Resource) -> str:
    return os.path.normpath(os.path.dirname(os.path.normpath(res.origin.file))) if res.origin.file else "."


def in_folder(folder: str, path: str, recurse: bool) -> bool:
    """Whether a file's folder is the repository path `path` (or below it); the files may have been
    read from the repository root or from anywhere above it."""
    if path == ".":
        return True
    for candidate in (folder, "/" + folder):
        if candidate == path or candidate.endswith("/" + path):
            return True
        if recurse and ("/" + path + "/") in (candidate + "/"):
            return True
    return False


def flux_path(kustomization: Resource) -> str | None:
    path = as_map(kustomization.obj.get("spec")).get("path")
    return clean_path(path) if isinstance(path, str) and path.strip() else None


CASCADE_FINALIZERS = ("resources-finalizer.argocd.argoproj.io",
                      "resources-finalizer.argocd.argoproj.io/foreground",
                      "resources-finalizer.argocd.argoproj.io/background")


@dataclass(frozen=True)
class Delivery:
    source: Resource  # the Application or Kustomization
    flux: bool
    heals: bool  # re-creates an object deleted on the cluster
    prunes: bool  # deletes an object that leaves git
    cascades: bool  # deleting the Application/Kustomization deletes its objects
    out_of_sync_only: bool  # a sync applies only the objects that changed

    @property
    def deletes(self) -> bool:
        return self.prunes or self.cascades

    def describe(self) -> str:
        return f"{'Flux' if self.flux else 'Argo CD'} {self.source.ref()}"


def _argo(app: Resource) -> Delivery:
    policy = as_map(as_map(app.obj.get("spec")).get("syncPolicy"))
    automated = policy.get("automated")
    on = isinstance(automated, dict) and automated.get("enabled") is not False
    options = {o.strip() for o in policy.get("syncOptions") or [] if isinstance(o, str)}
    finalizers = app.metadata.get("finalizers") or []
    return Delivery(app, False, heals=on and bool(as_map(automated).get("selfHeal")),
                    prunes=on and bool(as_map(automated).get("prune")),
                    cascades=any(f in CASCADE_FINALIZERS for f in finalizers if isinstance(f, str)),
                    out_of_sync_only="ApplyOutOfSyncOnly=true" in options)


def _flux(k: Resource) -> Delivery:
    spec = as_map(k.obj.get("spec"))
    prune = spec.get("prune") is True
    return Delivery(k, True, heals=spec.get("suspend") is not True, prunes=prune, cascades=prune,
                    out_of_sync_only=True)


def _covers(resources: Iterable[Resource]) -> list[tuple[str, bool, Delivery]]:
    out = []
    for res in resources:
        if is_application(res):
            delivery = _argo(res)
            out += [(path, recurse, delivery) for _, _, path, recurse in git_sources(res)]
        elif res.kind == "Kustomization" and res.group == "kustomize.toolkit.fluxcd.io":
            path = flux_path(res)
            if path is not None:
                out.append((path, True, _flux(res)))
    return out


def deliveries_of(resources: Iterable[Resource], *kinds: str) -> Iterator[tuple[Resource, Delivery]]:
    """(object, delivery) for each object of these kinds that an Application or Kustomization syncs;
    an object synced by both gets one pair for each."""
    resources = list(resources)
    covers = _covers(resources)
    if not covers:
        return
    for res in resources:
        if res.kind not in kinds or not res.origin.file or res.obj is None:
            continue
        folder = folder_of(res)
        for path, recurse, delivery in covers:
            if in_folder(folder, path, recurse) and delivery.source is not res:
                yield res, delivery


