"""Immutable containers for spec values; picklable so specs can go to worker processes."""
from __future__ import annotations

from typing import Any


class FrozenDict(dict):
    """A dict that refuses changes after construction."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("spec values are immutable; build a new App (dataclasses.replace) instead")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore

    def __reduce__(self):
        return (FrozenDict, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda kv: kv[0])))

    def __or__(self, other):  # merging gives a new frozen dict
        return FrozenDict({**self, **other})
