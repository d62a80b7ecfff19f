"""Compact JSON schemas of the delivery kinds gitops emits, written from the published Argo CD and
Flux API references. They refuse unknown fields (a typo in a hand-edited Application fails here
rather than being silently dropped by the API server) and ship with the package, so checks run
offline. The official CRDs stay outside the project; tests check both agree.
"""
from __future__ import annotations

import copy
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


def _bundle(doc: dict, docs: dict[str, dict]) -> dict:
    """`doc` made self-contained: definitions it references in sibling files are copied into it."""
    definitions = dict(doc.get("definitions", {}))
    pending = [doc]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                target, _, pointer = ref.partition("#")
                other = docs[BASE + target]["definitions"]
                for name, definition in other.items():
                    if name not in definitions:
                        definitions[name] = definition
                        pending.append(definition)
                    elif definitions[name] is not definition and definitions[name] != definition:
                        raise ValueError(f"definition {name!r} of {target} clashes in {doc['$id']}")
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return _local_refs({**doc, "definitions": definitions})


def _local_refs(node):
    if isinstance(node, dict):
        return {k: ("#" + v.partition("#")[2] if k == "$ref" and isinstance(v, str) else _local_refs(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_local_refs(v) for v in node]
    return node


@lru_cache(maxsize=1)
def _bundled() -> dict[tuple[str, str], dict]:
    docs = documents()
    return {key: _bundle(docs[BASE + name], docs) for key, name in FILES.items()}


def compact_schemas() -> dict[tuple[str, str], dict]:
    """{(apiVersion, kind): schema}, each self-contained (draft 7, local `$ref`s only): what a
    schema store registers for these kinds. Copies, so a caller cannot change ours."""
    return copy.deepcopy(_bundled())


def validator(api_version: str, kind: str):
    """A jsonschema validator for one of our kinds."""
    from jsonschema import Draft7Validator

    return Draft7Validator(_bundled()[(api_version, kind)])
