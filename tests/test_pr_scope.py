"""The partial run of `check --base` on real projects: dependencies on unchanged apps, and delivery
folders (made from every app) that send the run back to every app when they change."""
from __future__ import annotations

from tests.conftest import BASIC_CONFIG, make_project, run_cli
from tests.test_pr_e2e import app, commit, git

DELIVERY = BASIC_CONFIG + "delivery:\n  target: argocd\n  repoURL: https://github.com/acme/gitops.git\n"


def project(tmp_path, config=BASIC_CONFIG):
    root = make_project(tmp_path / "repo", {
        "db.py": app("db", "registry.example.com/db:1.0.0"),
        "web.py": app("web", "registry.example.com/web:1.0.0").replace(
            "replicas=2", 'replicas=2,\n    depends_on=["db"]'),
    }, config=config)
    (root / ".gitignore").write_text(".gitops-cache/\n__pycache__/\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def test_a_changed_app_may_depend_on_an_unchanged_one(tmp_path):
    root = project(tmp_path)
    (root / "apps/web.py").write_text((root / "apps/web.py").read_text().replace("web:1.0.0", "web:1.1.0"))
    commit(root, "bump web")
    result = run_cli(["check", "--base", "main"], root)
    assert result.exit_code == 0, result.output
    assert "in sync with the specs (2 folders)" in result.output  # web in dev and prod, not db
    assert "1 changed spec file(s)" in result.output


def test_a_new_app_changes_the_delivery_folders_so_every_app_is_checked(tmp_path):
    root = project(tmp_path, DELIVERY)
    assert (root / "generated/dev/_argocd").is_dir()
    (root / "apps/api.py").write_text(app("api", "registry.example.com/api:1.0.0"))
    commit(root, "add api")
    result = run_cli(["check", "--base", "main"], root)
    assert result.exit_code == 0, result.output
    assert "every app:" in result.output
    # ... and a hand edit of a delivery file is caught, as drift.
    application = next((root / "generated/dev/_argocd").glob("application-api*.yaml"))
    application.write_text(application.read_text() + "# edited\n")
    result = run_cli(["check", "--base", "main"], root)
    assert result.exit_code == 1 and f"changed:  generated/dev/_argocd/{application.name}" in result.output
