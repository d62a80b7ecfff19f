"""Compact JSON schemas of the custom resources gitops synthesizes for apps (ExternalSecret, ...),
derived from the official CRDs by `derive.py` and shipped with the package, so `gitops check` and
`gitops validate` check them offline. The CRDs themselves stay outside the project.
"""
from __future__ import annotations

import copy
import json
import os
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))
# (apiVersion, kind) -> file in this folder (written by derive.py)
FILES = {
    ("external-secrets.io/v1", "ExternalSecret"): "external-secrets.io_v1_externalsecret.json",
}


@lru_cache(maxsize=1)
def _loaded() -> dict[tuple[str, str], dict]:
    out = {}
    for key, name in FILES.items():
        with open(os.path.join(HERE, name), encoding="utf-8") as fh:
            out[key] = json.load(fh)
    return out


def compact_schemas() -> dict[tuple[str, str], dict]:
    """{(apiVersion, kind): self-contained draft-7 schema}; copies, so callers cannot change ours."""
    return copy.deepcopy(_loaded())
