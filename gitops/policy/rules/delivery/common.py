"""Shared by the delivery rules: annotations, Argo CD Applications and the manifests under their paths."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterator

from ....manifests.resource import Resource
from ...api import as_map

HOOK = "argocd.argoproj.io/hook"
HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
SYNC_WAVE = "argocd.argoproj.io/sync-wave"
SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
FLUX_FORCE = "kustomize.toolkit.fluxcd.io/force"


def annotations_of(res: Resource) -> dict:
    value = res.metadata.get("annotations")
    return value if isinstance(value, dict) else {}


def listed(value: object) -> list[str]:
    """A comma-separated annotation value as a list of its items."""
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else []


def is_application(res: Resource) -> bool:
    return res.kind == "Application" and res.group == "argoproj.io"


def sources(res: Resource) -> Iterator[tuple[dict, str]]:
    """Each git source of an Application with a path, and its JSON path."""
    spec = as_map(res.obj.get("spec"))
    if isinstance(spec.get("source"), dict):
        yield spec["source"], "spec.source"
    for i, src in enumerate(spec.get("sources") or []):
        if isinstance(src, dict):
            yield src, f"spec.sources[{i}]"


def clean_path(path: str, prefix: str = "") -> str:
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    path = path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix.rstrip("/") + "/")):
        path = path[len(prefix.rstrip("/")):].lstrip("/")
    return os.path.normpath(path) if path else "."


def is_manifest(res: Resource) -> bool:
    # kustomization.yaml is build input, not an object a controller applies
    return not res.api_version.startswith("kustomize.config.k8s.io/")


@lru_cache(maxsize=1 << 16)
def _folder(file: str) -> str:
    # asked for every resource by every Application source: normalised once per file
    return os.path.normpath(os.path.dirname(os.path.normpath(file)))


def under(ctx_resources, path: str, recurse: bool) -> list[Resource]:
    """The manifests whose file sits in `path` (or below it, when `recurse`)."""
    out = []
    for res in ctx_resources:
        if not res.origin.file or not is_manifest(res):
            continue
        folder = _folder(res.origin.file)
        if folder == path or (recurse and (path == "." or folder.startswith(path + os.sep))):
            out.append(res)
    return out


def git_sources(res: Resource, prefix: str = "", repo_urls: tuple = ()) -> Iterator[tuple[dict, str, str, bool]]:
    """(source, json path, cleaned path, recurse) for sources with a plain path we can look into."""
    for src, json_path in sources(res):
        path = src.get("path")
        if not isinstance(path, str) or src.get("chart") or "{{" in path:
            continue
        if repo_urls and src.get("repoURL") not in repo_urls:
            continue
        directory = as_map(src.get("directory"))
        yield src, json_path, clean_path(path, prefix), bool(directory.get("recurse"))
