"""The repository's own apps/: generated/ is committed in sync and passes the CI gate."""
from __future__ import annotations

from tests.conftest import REPO, run_gitops


def test_repository_passes_gitops_check():
    proc = run_gitops(["check", "--no-cache"], REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
