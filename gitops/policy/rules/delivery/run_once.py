"""What the run-once Job and claim rules share: hooks, sync options, annotation paths."""
from __future__ import annotations

from ....manifests.resource import Resource
from .common import HOOK, SYNC_OPTIONS, annotations_of, listed
from .controllers import Delivery

FLUX_PRUNE = "kustomize.toolkit.fluxcd.io/prune"


HELM_HOOK = "helm.sh/hook"


def is_hook(res: Resource) -> bool:
    notes = annotations_of(res)
    return bool(listed(notes.get(HOOK))) and listed(notes.get(HOOK)) != ["Skip"] or bool(notes.get(HELM_HOOK))


def sync_options(res: Resource) -> set[str]:
    return set(listed(annotations_of(res).get(SYNC_OPTIONS)))


def _path(key: str) -> str:
    return f'metadata.annotations["{key}"]'


def _unprotected(res: Resource, delivery: Delivery) -> list[str]:
    if delivery.flux:
        return [] if annotations_of(res).get(FLUX_PRUNE) == "disabled" else [f"{FLUX_PRUNE}: disabled"]
    options = sync_options(res)
    wanted = (["Prune=false"] if delivery.prunes else []) + (["Delete=false"] if delivery.cascades else [])
    return [f"{SYNC_OPTIONS}: {w}" for w in wanted if w not in options]
