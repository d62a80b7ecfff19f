"""What the metadata rules share."""
from __future__ import annotations

from ....schema.scope import crd_scopes


def _crds(ctx) -> dict:
    """CustomResourceDefinitions of the set, read once per run (the index is per run)."""
    index = ctx.index
    if index is None:
        return crd_scopes(ctx.of_kind("CustomResourceDefinition"))
    if index.crd_scopes is None:
        index.crd_scopes = crd_scopes(ctx.of_kind("CustomResourceDefinition"))
    return index.crd_scopes
