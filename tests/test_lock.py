"""One writer at a time: a second run says who holds the project, a killed holder frees it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from tests.conftest import run_gitops

HOLD = ("import sys; from gitops.projectlock import ProjectLock; lock = ProjectLock(sys.argv[1]); "
        "lock.acquire(shared=sys.argv[2] == 'shared'); print('held', flush=True); sys.stdin.read()")


def _holder(cache: str, mode: str = "exclusive") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, cache, mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_exits_2_naming_the_holder_and_leaves_generated_alone(project):
    assert run_gitops(["synth"], project).returncode == 0
    before = sorted(str(p.relative_to(project)) for p in (project / "generated").rglob("*"))
    (project / "apps/web.py").write_text((project / "apps/web.py").read_text().replace("replicas\": 3", "replicas\": 4"))
    holder = _holder(str(project / ".gitops-cache"))
    try:
        for command in (["synth"], ["check"]):
            proc = run_gitops(command, project, env={"GITOPS_LOCK_WAIT": "0"})
            assert proc.returncode == 2, proc.stderr
            assert f"pid {holder.pid}" in proc.stderr and "another gitops run holds this project" in proc.stderr
            assert "lock" in proc.stderr.splitlines()[0]
    finally:
        holder.kill()
        holder.wait()
    assert sorted(str(p.relative_to(project)) for p in (project / "generated").rglob("*")) == before
    assert "replicas: 3" in (project / "generated/prod/web/deployment-web.yaml").read_text()


def test_a_killed_holder_never_leaves_the_lock_held(project):
    holder = _holder(str(project / ".gitops-cache"))
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    proc = run_gitops(["synth"], project, env={"GITOPS_LOCK_WAIT": "0"})
    assert proc.returncode == 0, proc.stderr
    assert os.path.isdir(project / "generated/dev/web")


def test_a_second_writer_waits_for_the_first_when_allowed_to(project):
    holder = _holder(str(project / ".gitops-cache"))
    proc = subprocess.Popen([sys.executable, "-m", "gitops", "synth"], cwd=project, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "GITOPS_LOCK_WAIT": "600"})
    assert "waiting for another gitops run" in proc.stderr.readline()
    holder.stdin.close()  # the holder ends normally and lets go
    holder.wait()
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    assert os.path.isdir(project / "generated/dev/web")


def test_readers_share_the_lock_and_a_writer_waits_for_them(project):
    assert run_gitops(["synth"], project).returncode == 0
    reader = _holder(str(project / ".gitops-cache"), "shared")
    try:
        assert run_gitops(["check"], project, env={"GITOPS_LOCK_WAIT": "0"}).returncode == 0, "checks run side by side"
        writer = run_gitops(["synth"], project, env={"GITOPS_LOCK_WAIT": "0"})
        assert writer.returncode == 2 and f"pid {reader.pid}" in writer.stderr, writer.stderr
    finally:
        reader.kill()
        reader.wait()


def test_check_runs_in_a_read_only_checkout(project):
    """Readers need no lock where nobody can write: a read-only checkout still gets its check."""
    assert run_gitops(["synth"], project).returncode == 0
    shutil.rmtree(project / ".gitops-cache")
    if os.geteuid() == 0:  # root ignores permissions: make the folder immutable instead
        if subprocess.run(["chattr", "+i", str(project)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not supported here, and root ignores permissions")
    else:
        os.chmod(project, 0o555)
    try:
        proc = run_gitops(["check", "--no-cache"], project)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(project)], capture_output=True)
        else:
            os.chmod(project, 0o755)
    assert proc.returncode == 0, proc.stderr
