"""Compact JSON schemas of the delivery kinds gitops emits, written from the published Argo CD and
Flux API references. They refuse unknown fields (a typo in a hand-edited Application fails here
rather than being silently dropped by the API server) and ship with the package, so checks run
offline. The official CRDs stay outside the project; tests check both agree.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))
# (apiVersion, kind) -> file in this folder
FILES = {
    ("argoproj.io/v1alpha1", "Application"): "argoproj.io_v1alpha1_application.json",
    ("argoproj.io/v1alpha1", "AppProject"): "argoproj.io_v1alpha1_appproject.json",
    ("argoproj.io/v1alpha1", "ApplicationSet"): "argoproj.io_v1alpha1_applicationset.json",
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"): "kustomize.toolkit.fluxcd.io_v1_kustomization.json",
    ("source.toolkit.fluxcd.io/v1", "GitRepository"): "source.toolkit.fluxcd.io_v1_gitrepository.json",
}
BASE = "https://gitops.invalid/schemas/delivery/"  # ids for a local registry; never fetched
SHARED = "_meta.json"  # definitions the others $ref by relative name, resolved from `documents()`


def _read(name: str) -> dict:
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def documents() -> dict[str, dict]:
    """Every schema document by its `$id` (for a local resolver: no network)."""
    docs = [_read(SHARED)] + [_read(name) for name in sorted(FILES.values())]
    return {d["$id"]: d for d in docs}


def compact_schemas() -> dict[tuple[str, str], dict]:
    """{(apiVersion, kind): schema}. Their `$ref`s name `documents()` by `$id`."""
    docs = documents()
    return {key: docs[f"{BASE}{name}"] for key, name in FILES.items()}


def validator(api_version: str, kind: str):
    """A jsonschema validator for one kind, its references resolved from this folder only."""
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    registry = Registry().with_resources(
        (uri, Resource.from_contents(doc, default_specification=DRAFT7)) for uri, doc in documents().items())
    return Draft7Validator(compact_schemas()[(api_version, kind)], registry=registry)
