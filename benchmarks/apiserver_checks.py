"""Time gitops.apiserver.check alone over N resources (default 50,000) cycled from the corpora.

    PYTHONPATH=. python benchmarks/apiserver_checks.py [N]

Prints the best of three runs in seconds and microseconds per resource. YAML parsing is excluded:
it is the schema pass's cost, shared by both checks.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from gitops.apiserver import check
from gitops.manifests.resource import Resource

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[Resource]:
    files = sorted((ROOT / "tests/data/apiserver/valid").glob("*.yaml"))
    files += [ROOT / "tests/data/apiserver/heldout/bases.yaml", *sorted((ROOT / "generated").rglob("*.yaml"))]
    return [Resource(doc) for path in files for doc in yaml.safe_load_all(path.read_text()) if doc]


def main(count: int = 50_000) -> None:
    docs = corpus()
    resources = [docs[i % len(docs)] for i in range(count)]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for resource in resources:
            check(resource, "1.33")
        best = min(best, time.perf_counter() - start)
    kinds = len({r.kind for r in docs})
    print(f"{count} resources ({len(docs)} distinct, {kinds} kinds): {best:.2f} s, "
          f"{best / count * 1e6:.1f} µs per resource")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
