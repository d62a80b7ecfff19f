"""Which objects one delivery unit syncs: the folder of each Argo CD Application or Flux Kustomization
in the set, or, in a set without Applications, each folder of plain YAML as if an Application synced it."""
from __future__ import annotations

from dataclasses import dataclass

from ..manifests.resource import Resource
from ..policy.api import as_map
from ..policy.rules.delivery.common import git_sources, is_application, is_manifest
from ..policy.rules.delivery.controllers import flux_path, folder_of, in_folder

__all__ = ["Unit", "argo_units", "flux_path", "folder_of", "in_folder", "sync_policy"]


@dataclass(frozen=True)
class Unit:
    name: str  # the Application's name, or the folder
    folder: str
    namespace: str  # destination namespace: objects without one land there ("" unknown)
    policy: str  # how it syncs, in words
    resources: tuple[Resource, ...]
    source: Resource | None  # the Application, when there is one


def sync_policy(app: Resource) -> str:
    policy = as_map(as_map(app.obj.get("spec")).get("syncPolicy"))
    automated = policy.get("automated")
    if not isinstance(automated, dict) or automated.get("enabled") is False:
        return "manual sync"
    flags = [word for key, word in (("prune", "prune"), ("selfHeal", "self-heal")) if automated.get(key)]
    return "automated sync" + (f" with {' and '.join(flags)}" if flags else "")


def argo_units(resources: list[Resource]) -> list[Unit]:
    """One unit per git source of each Application; without Applications, one per folder."""
    manifests = [r for r in resources if is_manifest(r)]
    apps = [r for r in manifests if is_application(r)]
    if not apps:
        folders: dict[str, list[Resource]] = {}
        for res in manifests:
            folders.setdefault(folder_of(res), []).append(res)
        return [Unit(folder, folder, "", "as one Application (no Application in the set)", tuple(objs), None)
                for folder, objs in sorted(folders.items())]
    units = []
    for app in sorted(apps, key=lambda a: (a.namespace, a.name)):
        destination = as_map(as_map(app.obj.get("spec")).get("destination"))
        for _, _, path, recurse in git_sources(app):
            objs = tuple(r for r in manifests if in_folder(folder_of(r), path, recurse) and r is not app)
            if objs:
                units.append(Unit(app.name, path, str(destination.get("namespace") or ""), sync_policy(app), objs, app))
    return units
