"""Synthesis benchmark: a fleet of N apps x 3 environments, from scratch, unchanged, one changed.

Run: `make bench` (or `.venv/bin/python benchmarks/synth.py [N ...]`). Prints a Markdown table and
writes it into the "Synthesis" section of docs/benchmarks.md.
"""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks.fleet import bump, write_fleet  # noqa: E402
from benchmarks.report import replace_section  # noqa: E402

GITOPS = [sys.executable, "-m", "gitops"]


def timed(args: list[str], cwd: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the largest process of one command."""
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
              "w = time.perf_counter() - t; "
              "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; print(w, m); sys.exit(r.returncode)")
    # as installed: compiled bytecode written once, then reused (this machine sets PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True, check=True,
                         env=env)
    wall, rss_kb = out.stdout.split()
    return float(wall), int(rss_kb) / 1024


def bench(n_apps: int) -> list[tuple[str, float, float]]:
    root = tempfile.mkdtemp(prefix=f"gitops-fleet-{n_apps}-")
    try:
        write_fleet(root, n_apps)
        rows = []
        wall, rss = timed(GITOPS + ["synth"], root)  # empty cache: everything synthesized
        files = sum(len(f) for _, _, f in os.walk(os.path.join(root, "generated")))
        resources = files - 3 * n_apps  # minus one kustomization.yaml per app folder
        rows.append((f"{n_apps} apps, {resources} resources: from scratch", wall, rss))
        wall, rss = timed(GITOPS + ["synth"], root)
        rows.append((f"{n_apps} apps: nothing changed", wall, rss))
        bump(root, n_apps // 2, 9)
        wall, rss = timed(GITOPS + ["synth"], root)
        rows.append((f"{n_apps} apps: one app changed", wall, rss))
        wall, rss = timed(GITOPS + ["check"], root)
        rows.append((f"{n_apps} apps: `gitops check` (drift gate), in sync", wall, rss))
        return rows
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    rows = []
    for n in sizes:
        rows += bench(n)
    lines = ["| case | wall time (s) | peak memory (MB) |", "|---|---:|---:|"]
    lines += [f"| {case} | {wall:.2f} | {rss:.0f} |" for case, wall, rss in rows]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    body = "\n".join([f"Command: `.venv/bin/python benchmarks/synth.py {' '.join(map(str, sizes))}` "
                      f"(part of `make bench`), on {machine}, {time.strftime('%Y-%m-%d')}.", "", *lines])
    print(body)
    replace_section("Synthesis", body)


if __name__ == "__main__":
    main()
