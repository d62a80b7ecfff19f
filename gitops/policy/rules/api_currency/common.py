"""What the api-currency rules share."""
from __future__ import annotations

from ....schema.deprecations import TABLE, Deprecation


def lifecycle(api_version: str, kind: str) -> Deprecation | None:
    """The deprecation entry of an apiVersion and kind (the table schema validation uses too)."""
    for entry in TABLE:
        if entry.api_version == api_version and (not entry.kinds or kind in entry.kinds):
            return entry
    return None


def _minor(version: str) -> int:
    return int(version.partition(".")[2] or 0)
