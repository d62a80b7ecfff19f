"""Synthesis benchmark: a fleet of N apps x 3 environments, from scratch, unchanged, one changed.

Run: `make bench` (or `.venv/bin/python benchmarks/synth.py [N ...]`). Prints a Markdown table and
writes it into the "Synthesis" section of docs/benchmarks.md.
"""
from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks.fleet import bump, write_fleet  # noqa: E402
from benchmarks.report import replace_section  # noqa: E402

GITOPS = [sys.executable, "-m", "gitops"]


def timed(args: list[str], cwd: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all its processes) and peak RSS (MB) of the largest process of one command."""
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
              "w = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN); "
              "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss); sys.exit(r.returncode)")
    # as installed: compiled bytecode written once, then reused (this machine sets PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True, check=True,
                         env=env)
    wall, cpu, rss_kb = out.stdout.split()
    return float(wall), float(cpu), int(rss_kb) / 1024


def bench(n_apps: int) -> list[tuple[str, float, float, float, float]]:
    root = tempfile.mkdtemp(prefix=f"gitops-fleet-{n_apps}-")
    try:
        write_fleet(root, n_apps)
        rows = []
        load = os.getloadavg()[0]
        first = timed(GITOPS + ["synth"], root)  # empty cache: everything synthesized
        files = sum(len(f) for _, _, f in os.walk(os.path.join(root, "generated")))
        resources = files - 3 * n_apps  # minus one kustomization.yaml per app folder
        rows.append((f"{n_apps} apps, {resources} resources: from scratch", *first, load))
        # the quick cases: median of 5 (the first of them also fills the machine's file cache)
        runs = [timed(GITOPS + ["synth"], root) for _ in range(5)]
        rows.append((f"{n_apps} apps: nothing changed (median of 5)", *_median(runs), os.getloadavg()[0]))
        changed = []
        for minor in range(9, 14):
            bump(root, n_apps // 2, minor)
            changed.append(timed(GITOPS + ["synth"], root))
        rows.append((f"{n_apps} apps: one app changed (median of 5)", *_median(changed), os.getloadavg()[0]))
        rows.append((f"{n_apps} apps: `gitops check` (drift gate), in sync", *timed(GITOPS + ["check"], root),
                     os.getloadavg()[0]))
        return rows
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _median(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs))


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    rows: list[tuple[str, float, float, float, float]] = []
    for n in sizes:
        rows += bench(n)
    lines = ["| case | wall time (s) | CPU s (all processes) | peak memory (MB) | load |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {case} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {load:.1f} |" for case, wall, cpu, rss, load in rows]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    body = "\n".join([f"Command: `.venv/bin/python benchmarks/synth.py {' '.join(map(str, sizes))}` "
                      f"(part of `make bench`), on {machine}, {time.strftime('%Y-%m-%d %H:%M')}. Goals (issue 15): "
                      "1,000 apps x 3 environments from scratch under 10 s, nothing changed under 0.5 s, one app "
                      "changed under 1 s. `load` is the 1-minute load average when the case ran (2 cores).", "",
                      *lines])
    print(body)
    replace_section("Synthesis", body)


if __name__ == "__main__":
    main()
