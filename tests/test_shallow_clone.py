"""A shallow clone that lacks the merge base never compares with the base tip silently (issue 12)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import WEB_SPEC, gitops_here as run_gitops, make_project


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


def test_a_shallow_clone_without_the_merge_base_says_how_to_fetch_it(tmp_path: Path) -> None:
    origin = make_project(tmp_path / "origin", {"web.py": WEB_SPEC})
    assert run_gitops(["synth"], origin).returncode == 0
    (origin / ".gitignore").write_text(".gitops-cache/\n")
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "start")
    _git(origin, "checkout", "-qb", "feature")
    (origin / "apps" / "web.py").write_text(WEB_SPEC.replace("1.0.0", "1.1.0"))
    _git(origin, "commit", "-qam", "feature: bump")
    _git(origin, "checkout", "-q", "main")
    (origin / "README.md").write_text("main moved on\n")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "main: readme")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth=1", "--branch", "feature", f"file://{origin}", str(clone))
    _git(clone, "fetch", "-q", "--depth=1", "origin", "main:main")
    for args in (["check", "--base", "main"], ["diff", "--base", "main"]):
        result = run_gitops(args, clone)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "no merge base of main and HEAD in this shallow clone" in result.stderr
        assert "git fetch --deepen" in result.stderr and "git fetch --unshallow" in result.stderr
    _git(clone, "fetch", "-q", "--unshallow", "origin", "main:main", "feature")
    found = run_gitops(["check", "--base", "main"], clone)
    # With the history there, the merge base is found: the feature's bump (not synthesized) is drift
    assert found.returncode == 1, found.stdout + found.stderr
    assert "changed:  generated/dev/web/deployment-web.yaml" in found.stdout
