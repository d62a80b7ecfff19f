"""Stress: two synths at once and a SIGKILLed synth, in a loop, on a fleet of sixty apps (a
folder swap per app, so the kill lands among many renames).

What must hold every time: both concurrent runs succeed (one waits for the other's lock) and leave
exactly the new tree; a killed run leaves the old tree, the new tree, or a swap journal that the
next writer completes, and nothing else; the cached `check` passes only the exact tree of the
specs. GITOPS_STRESS_APPS and GITOPS_STRESS_ROUNDS make it bigger (default: 60 apps, 2 rounds).
"""
from __future__ import annotations

import glob
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from gitops.write.tree import JOURNAL, read_tree
from tests.conftest import make_project

APPS = int(os.environ.get("GITOPS_STRESS_APPS", "60"))
ROUNDS = int(os.environ.get("GITOPS_STRESS_ROUNDS", "2"))
ONE_ENV = 'kubernetesVersion: "1.33"\nenvironments:\n  dev: {}\n'
FLEET = """\
from gitops import App, Port, Probe, Resources
apps = [App(name=f"s{{i}}", image="registry.example.com/s:{version}.0.0", ports=[Port(name="http", port=8080)],
            resources=Resources(cpu="100m", memory="128Mi"), readiness=Probe.http("/ready"),
            liveness=Probe.http("/healthz")) for i in range({apps})]
"""
ENV = {**os.environ, "GITOPS_LOCK_WAIT": "900"}


def _start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gitops", *args], cwd=root, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=900)
    return proc.returncode, out + err


def _set_version(root: Path, version: int) -> None:
    (root / "apps/fleet.py").write_text(FLEET.format(version=version, apps=APPS))


def _leftovers(root: Path) -> list[str]:
    return sorted(n for n in os.listdir(root) if n.startswith(".generated"))


def _kill_when(proc: subprocess.Popen, root: Path, moment: str) -> None:
    """SIGKILL a synth at a chosen moment: while it stages files, right after it wrote its swap
    journal (in the renames), or at a random point."""
    if moment == "random":
        try:
            proc.wait(timeout=random.uniform(0.2, 2.5))
        except subprocess.TimeoutExpired:
            pass
    else:
        pattern = str(root / ".generated.new-*" / (JOURNAL if moment == "journal" else ""))
        while proc.poll() is None and not glob.glob(pattern):
            time.sleep(0.0005)  # the journal exists only for the few milliseconds of the renames
    proc.send_signal(signal.SIGKILL)
    proc.communicate()


def test_concurrent_and_killed_synths_leave_the_old_or_the_new_tree(tmp_path):
    root = make_project(tmp_path / "fleet", {"fleet.py": ""}, config=ONE_ENV)
    trees = {}
    for version in (1, 2):  # the two trees (this also fills the render cache: later runs need no Node)
        _set_version(root, version)
        code, out = _finish(_start(root, "synth"))
        assert code == 0, out
        trees[version] = read_tree(str(root / "generated"))
    assert len(trees[1]) == len(trees[2]) > 2 * APPS and trees[1] != trees[2]

    current = 2
    moments = ["journal", "staging", "random"]
    for round_ in range(ROUNDS):
        # Two writers at once: one waits for the other, both succeed, the tree is the new one.
        new = 1 if current == 2 else 2
        _set_version(root, new)
        first, second = _start(root, "synth"), _start(root, "synth")
        for proc in (first, second):
            code, out = _finish(proc)
            assert code == 0, out
        assert read_tree(str(root / "generated")) == trees[new], f"round {round_}: not exactly the new tree"
        assert _leftovers(root) == []
        current = new

        # A writer killed midway: old tree, new tree, or a journal the next writer completes.
        new = 1 if current == 2 else 2
        _set_version(root, new)
        _kill_when(_start(root, "synth"), root, moments[round_ % len(moments)])
        on_disk = read_tree(str(root / "generated"))
        pending = glob.glob(str(root / ".generated.new-*" / JOURNAL))
        assert on_disk in (trees[current], trees[new]) or pending, f"round {round_}: a mixed tree with no journal"
        code, out = _finish(_start(root, "check"))
        assert code == (0 if on_disk == trees[new] else 1), f"round {round_}: check said {code} on this tree\n{out}"
        code, out = _finish(_start(root, "synth"))
        assert code == 0, out
        assert read_tree(str(root / "generated")) == trees[new]
        assert _leftovers(root) == []
        current = new
    code, out = _finish(_start(root, "check"))
    assert code == 0, out
