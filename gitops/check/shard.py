"""`--shard K/N`: one of N CI runners takes a stable share of the work.

A file (for `validate`) or a spec file with its apps (for `check`) belongs to shard
crc32(path) mod N + 1, the path written with `/` and relative to where the command looks (the
project root for spec files, the paths as given for manifests). The same path lands in the same
shard on every runner and in every run, whatever else is added. `gitops merge` joins the shards'
reports into one.
"""
from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from typing import Iterable, Iterator

__all__ = ["Shard", "parse"]


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def owns(self, path: str) -> bool:
        key = os.path.normpath(path).replace(os.sep, "/")
        return zlib.crc32(key.encode("utf-8")) % self.count == self.index - 1

    def select(self, paths: Iterable[str]) -> Iterator[str]:
        return (path for path in paths if self.owns(path))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse(value: str) -> Shard:
    """`2/8` -> Shard(2, 8); ValueError with the accepted form otherwise."""
    found = re.fullmatch(r"\s*([0-9]+)\s*/\s*([0-9]+)\s*", value)
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)) <= 10_000:
        raise ValueError(f"got {value!r}; expected K/N with 1 <= K <= N <= 10000, e.g. 2/8")
    return Shard(int(found.group(1)), int(found.group(2)))
