"""The base through a real git worktree: always cleaned up, cache shared, and the change's scope."""
from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import tempfile

import pytest

from gitops import config as config_mod
from gitops.errors import InputError
from gitops.review.gitref import Scope, scope_of, synthesize_at, worktree
from tests.conftest import REPO, WEB_SPEC, make_project
from tests.test_pr_e2e import git


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    """Other runs on the same machine make and remove gitops-ref-* folders of their own: each test
    gets its own temporary folder (also for the processes it starts), so leftovers are only ours."""
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))


@pytest.fixture
def repo(tmp_path):
    root = make_project(tmp_path / "repo", {"web.py": WEB_SPEC})
    (root / ".gitignore").write_text(".gitops-cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def leftovers(root) -> list[str]:
    listed = git(root, "worktree", "list", "--porcelain").count("worktree ")
    return [str(listed)] + glob.glob(os.path.join(tempfile.gettempdir(), "gitops-ref-*"))


def test_the_base_is_synthesized_and_the_worktree_removed(repo):
    before = leftovers(repo)
    (repo / "apps/web.py").write_text(WEB_SPEC.replace("1.0.0", "2.0.0"))  # the working tree differs
    result = synthesize_at(config_mod.load(str(repo)), "main")
    [deployment] = [r for r in result.resources() if r.kind == "Deployment" and r.origin.env == "dev"]
    assert deployment.obj["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example.com/web:1.0.0"
    assert deployment.origin.spec_file == "apps/web.py"
    assert deployment.origin.file == "generated/dev/web/deployment-web.yaml"
    assert leftovers(repo) == before


def test_a_failure_at_the_base_names_the_ref_and_cleans_up(repo):
    (repo / "apps/web.py").write_text("from gitops import App\nweb = App(name='web', image='web:1', ports=[99999])\n")
    git(repo, "commit", "-q", "-am", "broken")
    before = leftovers(repo)
    with pytest.raises(InputError) as caught:
        synthesize_at(config_mod.load(str(repo)), "HEAD")
    assert str(caught.value) == "apps/web.py:2: Port.port: got 99999; expected an integer from 1 to 65535 (at HEAD)"
    assert leftovers(repo) == before


def test_an_interrupt_still_removes_the_worktree(repo):
    before = leftovers(repo)
    with pytest.raises(KeyboardInterrupt):
        with worktree(str(repo), "main") as path:
            assert os.path.isdir(path)
            raise KeyboardInterrupt
    assert not os.path.exists(path)
    assert leftovers(repo) == before


def test_unknown_ref_is_an_input_error(repo):
    with pytest.raises(InputError, match="unknown git ref 'nope'"):
        synthesize_at(config_mod.load(str(repo)), "nope")


def test_unchanged_apps_at_the_base_are_cache_hits(repo):
    config = config_mod.load(str(repo))
    synthesize_at(config, "main")
    cache = repo / ".gitops-cache"
    entries = set(cache.rglob("*.json"))
    assert entries
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing changed")
    synthesize_at(config, "HEAD")
    assert set(cache.rglob("*.json")) == entries  # the same content: nothing synthesized again


def test_scope_of_a_change():
    config = config_mod.Config(root="/repo")
    assert scope_of(config, ["apps/web.py", "generated/dev/web/deployment-web.yaml", "README.md"], "/repo") == \
        Scope(False, frozenset({"apps/web.py"}))
    for shared in ("gitops.yaml", "policies/base.yaml", "gitops/cli.py", "pyproject.toml", "apps/_common.py",
                   "schemas/crd.json"):
        assert scope_of(config, ["apps/web.py", shared], "/repo").everything, shared
    nested = config_mod.Config(root="/repo/deploy")
    assert scope_of(nested, ["deploy/apps/a.py", "apps/b.py", "gitops.yaml"], "/repo") == \
        Scope(False, frozenset({"apps/a.py"}))


def test_sigterm_while_the_base_is_checked_out_still_removes_it(repo, tmp_path):
    before = leftovers(repo)
    script = ("import sys, time\nfrom gitops.review.gitref import worktree\n"
              "with worktree(sys.argv[1], 'main') as path:\n    print(path, flush=True)\n    time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(repo)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    path = proc.stdout.readline().strip()
    assert os.path.isdir(path)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not os.path.exists(path)
    assert leftovers(repo) == before


def test_a_project_in_a_subfolder_of_the_repository(tmp_path):
    top = tmp_path / "monorepo"
    project = make_project(top / "deploy", {"web.py": WEB_SPEC})
    (top / "README.md").write_text("other things\n")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "base")
    (project / "apps/web.py").write_text(WEB_SPEC.replace("1.0.0", "1.1.0"))
    config = config_mod.load(str(project))
    from gitops.review.gitref import changed_scope
    scope = changed_scope(config, "main")
    assert scope == Scope(False, frozenset({"apps/web.py"}))
    result = synthesize_at(config, "main", scope)
    images = {r.obj["spec"]["template"]["spec"]["containers"][0]["image"] for r in result.resources()
              if r.kind == "Deployment"}
    assert images == {"registry.example.com/web:1.0.0"}
    assert {r.origin.spec_file for r in result.resources()} == {"apps/web.py"}
