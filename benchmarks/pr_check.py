"""Pull-request benchmark: `gitops check --base main` on a fleet where one app changed.

A git repository with the fleet of N apps x 3 environments and its generated/ committed on main,
then a branch that bumps one app's image and commits the regenerated output. Timed: the PR gate
with the cache of an earlier run (a developer's machine, or CI restoring .gitops-cache), with an
empty cache (a fresh CI runner), and, for scale, the full `gitops check` without --base.

Run: `make bench`, or `.venv/bin/python benchmarks/pr_check.py [N]` (default 1000). Prints a Markdown table and
writes it into the "Pull requests" section of docs/benchmarks.md.
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
from benchmarks.synth import GITOPS, timed  # noqa: E402

RUNS = 3


def git(root: str, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args], cwd=root,
                   check=True, capture_output=True)


def best(args: list[str], root: str, before=None) -> tuple[float, float]:
    """The fastest of RUNS runs (wall seconds, peak MB); `before` runs ahead of each (not timed)."""
    results = []
    for _ in range(RUNS):
        if before:
            before()
        wall, _cpu, peak = timed(args, root)
        results.append((wall, peak))
    return min(results)


def bench(n_apps: int) -> list[tuple[str, float, float]]:
    root = tempfile.mkdtemp(prefix=f"gitops-pr-{n_apps}-")
    cache = os.path.join(root, ".gitops-cache")
    try:
        write_fleet(root, n_apps)
        with open(os.path.join(root, ".gitignore"), "w") as fh:
            fh.write(".gitops-cache/\n")
        git(root, "init", "-q", "-b", "main")
        subprocess.run(GITOPS + ["synth"], cwd=root, check=True, capture_output=True)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "fleet")
        git(root, "checkout", "-q", "-b", "bump")
        bump(root, n_apps // 2, 9)
        subprocess.run(GITOPS + ["synth"], cwd=root, check=True, capture_output=True)
        git(root, "commit", "-q", "-am", "bump one app")
        # --fail-on never: the fleet may have findings under the policies; the work is the same.
        pr_gate = GITOPS + ["check", "--fail-on", "never", "--base", "main", "--output", "text",
                            "--output", f"markdown={os.path.join(root, '..', os.path.basename(root) + '.md')}"]
        rows = [(f"{n_apps} apps, one changed: `gitops check --base main`, warm cache", *best(pr_gate, root))]
        rows.append((f"{n_apps} apps, one changed: `gitops check --base main`, empty cache",
                     *best(pr_gate, root, before=lambda: shutil.rmtree(cache, ignore_errors=True))))
        full_gate = GITOPS + ["check", "--fail-on", "never"]
        subprocess.run(full_gate, cwd=root, capture_output=True)  # warm the cache again
        rows.append((f"{n_apps} apps: full `gitops check` (no --base), warm cache", *best(full_gate, root)))
        worktrees = subprocess.run(["git", "worktree", "list"], cwd=root, capture_output=True, text=True).stdout
        assert worktrees.count("\n") == 1, worktrees  # the base's worktree is always removed
        return rows
    finally:
        shutil.rmtree(root, ignore_errors=True)
        for leftover in (root + ".md",):
            if os.path.exists(leftover):
                os.remove(leftover)


def main() -> None:
    n_apps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rows = bench(n_apps)
    lines = ["| case | wall time (s), best of 3 | peak memory (MB) |", "|---|---:|---:|"]
    lines += [f"| {case} | {wall:.2f} | {rss:.0f} |" for case, wall, rss in rows]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    body = "\n".join([
        f"Command: `.venv/bin/python benchmarks/pr_check.py {n_apps}`, on {machine}, {time.strftime('%Y-%m-%d')}.",
        "", "The fleet from `benchmarks/fleet.py` (3 environments, ~22 resources per app) on `main`; a branch bumps "
        "one app's image and commits the regenerated files. `--base` synthesizes and checks only the changed "
        "app on both sides (the base through a temporary `git worktree`), and writes the text report and the "
        "Markdown comment. Every stage of the gate runs: drift, schema validation with the API-server "
        "checks, and the policies.", "", *lines])
    print(body)
    replace_section("Pull requests", body)


if __name__ == "__main__":
    main()
