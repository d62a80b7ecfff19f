"""What every check module shares: the result type and small helpers over untrusted values."""
from __future__ import annotations

from typing import Any, Iterator

from ..engine import Fields

Found = Iterator[tuple[str, Fields]]  # (JSON path, fields for the rule's message)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def dicts(value: Any) -> Iterator[tuple[int, dict]]:
    """The mapping items of a list, with their index; anything else yields nothing."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def containers(pod: dict) -> Iterator[tuple[str, int, dict]]:
    """(list key, index, container) for containers and initContainers of a pod spec."""
    for key in ("containers", "initContainers"):
        for i, c in dicts(pod.get(key)):
            yield key, i, c
