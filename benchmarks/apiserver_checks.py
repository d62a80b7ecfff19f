"""Time gitops.apiserver.check alone over N resources (default 50,000) cycled from the corpora.

    PYTHONPATH=. python benchmarks/apiserver_checks.py [N] [all|generated]

`all` (default) cycles the feature-heavy test corpora and the repository's generated/ manifests;
`generated` only the latter, which look like what the tool emits.

Prints the best of three runs, wall-clock and CPU time of this process (the machine is shared: CPU
time is the steadier figure), and microseconds per resource. YAML parsing is excluded: it is the
schema pass's cost, shared by both checks.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from gitops.apiserver import check
from gitops.manifests.resource import Resource

ROOT = Path(__file__).resolve().parent.parent


def corpus(which: str = "all") -> list[Resource]:
    files = sorted((ROOT / "generated").rglob("*.yaml"))
    if which == "all":
        files += [*sorted((ROOT / "tests/data/apiserver/valid").glob("*.yaml")),
                  ROOT / "tests/data/apiserver/heldout/bases.yaml"]
    return [Resource(doc) for path in files for doc in yaml.safe_load_all(path.read_text()) if doc]


def main(count: int = 50_000, which: str = "all") -> None:
    docs = corpus(which)
    resources = [docs[i % len(docs)] for i in range(count)]
    best_wall = best_cpu = float("inf")
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        for resource in resources:
            check(resource, "1.33")
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    kinds = len({r.kind for r in docs})
    print(f"{count} resources ({len(docs)} distinct, {kinds} kinds): wall {best_wall:.2f} s, "
          f"CPU {best_cpu:.2f} s, {best_cpu / count * 1e6:.1f} µs CPU per resource")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 50_000, args[1] if len(args) > 1 else "all")
