"""The gate checks everything it writes: the Argo CD and Flux objects under _argocd/_flux are
validated and run through the policies, and a change that adds or removes an app puts the
delivery folders in the scope of `check --base` (issue 12)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import WEB_SPEC, gitops_here as run_gitops, make_project

DELIVERY = """\
kubernetesVersion: "1.33"
environments:
  dev: {}
  prod: {production: true}
namespace: "%s"
delivery:
  target: argocd
  repoURL: https://github.com/acme/gitops.git
  revision: main
"""
API = WEB_SPEC.replace('name="web"', 'name="api"').replace("web =", "api =").replace("/web:", "/api:")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True,
                   capture_output=True)


def test_check_runs_the_policies_on_the_delivery_objects(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC, "api.py": API}, config=DELIVERY % "{env}")
    assert run_gitops(["synth"], root).returncode == 0
    assert (root / "generated" / "dev" / "_argocd").is_dir()
    policy = run_gitops(["policy"], root)
    gate = run_gitops(["check"], root)
    assert policy.stdout.count("application-overlap") > 0
    assert gate.returncode == 1, gate.stdout
    assert gate.stdout.count("(application-overlap)") == policy.stdout.count("[application-overlap]")
    assert "generated/dev/_argocd/application-" in gate.stdout


def _repository(tmp_path: Path) -> Path:
    root = make_project(tmp_path, {"web.py": WEB_SPEC, "api.py": API}, config=DELIVERY % "{app}-{env}")
    assert run_gitops(["synth"], root).returncode == 0
    (root / ".gitignore").write_text(".gitops-cache/\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    _git(root, "checkout", "-qb", "feature")
    return root


def test_removing_an_app_but_keeping_its_delivery_files_fails_the_base_check(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    (root / "apps" / "api.py").unlink()
    for env in ("dev", "prod"):
        shutil.rmtree(root / "generated" / env / "api")  # the app's folders go, its Application stays
    result = run_gitops(["check", "--base", "main"], root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "stale:    generated/dev/_argocd/application-api-dev.yaml" in result.stdout
    assert run_gitops(["check"], root).returncode == 1  # the full gate agrees


def test_adding_an_app_without_its_delivery_files_fails_the_base_check(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    (root / "apps" / "worker.py").write_text(WEB_SPEC.replace('name="web"', 'name="worker"').replace("web =", "w ="))
    assert run_gitops(["synth"], root).returncode == 0
    # the app's own folders come with the change; the delivery folders stay as they were
    _git(root, "checkout", "main", "--", "generated/dev/_argocd", "generated/prod/_argocd")
    _git(root, "clean", "-fdq", "generated/dev/_argocd", "generated/prod/_argocd")
    result = run_gitops(["check", "--base", "main"], root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "missing:  generated/dev/_argocd/application-worker-dev.yaml" in result.stdout
    assert run_gitops(["synth"], root).returncode == 0
    assert run_gitops(["check", "--base", "main"], root).returncode == 0
