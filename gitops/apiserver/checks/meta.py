"""Checks on object metadata: names and annotations."""
from __future__ import annotations

from typing import Any

from .. import formats
from ..engine import Ctx, q
from .common import Found, join


def name_required(meta: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(meta, dict) and not meta.get("name") and not meta.get("generateName"):
        yield join(path, "name"), {}


def annotations_size(value: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(value, dict):
        total = sum(len(k.encode()) + len(v.encode()) for k, v in value.items()
                    if isinstance(k, str) and isinstance(v, str))
        if total > formats.ANNOTATIONS_MAX_BYTES:
            yield path, {"limit": formats.ANNOTATIONS_MAX_BYTES}


def annotation_key_errors(key: str) -> list[str]:
    return formats.qualified_name_errors(key.lower())


def cronjob_name_length(value: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(value, str) and len(value) > 52:
        yield path, {"value": q(value)}


def job_name_length(value: Any, path: str, ctx: Ctx) -> Found:
    """The Job's name becomes its pods' job-name label value, so 63 characters at most."""
    if isinstance(value, str) and len(value) > 63:
        yield "spec.template.labels", {"value": q(value)}
