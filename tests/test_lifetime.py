"""Children die with their parent, and every run cleans what killed runs left (real SIGKILL)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import make_project, run_gitops

FLEET = """\
from gitops import App
apps = [App(name=f"s{i}", image="s:1", ports=[80]) for i in range(200)]
"""
ONE_ENV = 'kubernetesVersion: "1.33"\nenvironments:\n  dev: {}\n'


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _wait_for(condition, limit: float = 60.0) -> bool:
    """Poll `condition` until it holds; False when it never did (the machine may be slow: generous)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_synth_leaves_no_worker_no_node_and_no_temp_folder(tmp_path):
    root = make_project(tmp_path / "p", {"fleet.py": FLEET}, config=ONE_ENV)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "GITOPS_WORKERS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "gitops", "synth", "--no-cache"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def workers_and_node_started() -> bool:
            commands = [_command(p) for p in _descendants(proc.pid)]
            return sum("spawn_main" in c for c in commands) >= 2 and any("node" in c for c in commands)

        assert _wait_for(workers_and_node_started), "synth never started its workers"
        family = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        gone = _wait_for(lambda: not any(_alive(p) for p in family))
        survivors = [f"{p}: {_command(p)[:80]}" for p in family if _alive(p)]
    finally:
        for pid in _descendants(proc.pid) + [p for p in locals().get("family", []) if _alive(p)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    assert gone, f"processes outlived the killed synth: {survivors}"
    assert os.listdir(tmp), "the killed run's temporary folder is there (jsii's files were put in it)"
    # The next run (any command) removes what the killed run left behind, then its own folder.
    assert run_gitops(["--version"], root, env={"TMPDIR": str(tmp)}).returncode == 0
    assert os.listdir(tmp) == []


def test_a_live_runs_folder_is_never_taken_for_a_stale_one(tmp_path):
    from gitops.lifetime import clean_stale_runs

    holder = subprocess.Popen([sys.executable, "-c", "import sys, tempfile; from gitops.lifetime import "
                               "start_run_folder; print(start_run_folder(), flush=True); sys.stdin.read()"],
                              env={**os.environ, "TMPDIR": str(tmp_path)}, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        folder = holder.stdout.readline().strip()
        assert os.path.isdir(folder)
        assert clean_stale_runs(str(tmp_path)) == [] and os.path.isdir(folder)
        holder.kill()
        holder.wait()
        assert clean_stale_runs(str(tmp_path)) == [folder] and not os.path.exists(folder)
    finally:
        holder.kill()


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_a_killed_diff_base_leaves_no_registered_worktree_after_the_next_run(tmp_path):
    from tests.conftest import WEB_SPEC

    # The base's spec sleeps while it loads: the worktree is certainly there when the run is killed.
    root = make_project(tmp_path / "p", {"web.py": "import time\ntime.sleep(30)\n" + WEB_SPEC})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "web")
    (root / "apps/web.py").write_text(WEB_SPEC)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "gitops", "diff", "--base", "HEAD", "--no-cache"], cwd=root,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _git(root, "worktree", "list").count("\n") >= 2 or proc.poll() is not None)
        assert proc.poll() is None, "diff ended before its worktree could be seen"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        proc.kill()
    assert _git(root, "worktree", "list").count("\n") == 2, "the killed run left its worktree registered"
    assert run_gitops(["synth"], root, env={"TMPDIR": str(tmp)}).returncode == 0
    assert _git(root, "worktree", "list").count("\n") == 1, _git(root, "worktree", "list")
    assert os.listdir(tmp) == []
