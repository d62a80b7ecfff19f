"""Compact JSON schemas of the platform custom resources gitops emits (KEDA, Kueue, JobSet),
derived from the official CRDs by `derive.py` and shipped with the package, so `gitops validate`
and `gitops check` judge them offline, strictly, without the CRDs installed. Embedded Kubernetes
types `$ref` the bundled Kubernetes definitions (the schema store registers them).
"""
from __future__ import annotations

import copy
import json
import os
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES_FILE = "_sources.json"


@lru_cache(maxsize=1)
def _schemas() -> dict[tuple[str, str], dict]:
    with open(os.path.join(HERE, SOURCES_FILE), encoding="utf-8") as fh:
        sources = json.load(fh)
    out = {}
    for name, source in sorted(sources.items()):
        with open(os.path.join(HERE, name), encoding="utf-8") as fh:
            out[(source["apiVersion"], source["kind"])] = json.load(fh)
    return out


def compact_schemas() -> dict[tuple[str, str], dict]:
    """{(apiVersion, kind): schema}; copies, so a caller cannot change ours."""
    return copy.deepcopy(_schemas())
