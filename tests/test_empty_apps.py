"""An empty apps/ or a spec file that exposes no app never silently empties generated/ (issue 12)."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import WEB_SPEC, gitops_here as run_gitops, make_project

OTHER = WEB_SPEC.replace('name="web"', 'name="other"').replace("web =", "other =")


def _tree(root: Path) -> dict[str, bytes]:
    gen = root / "generated"
    return {str(p.relative_to(gen)): p.read_bytes() for p in sorted(gen.rglob("*")) if p.is_file()}


def test_a_spec_that_exposes_no_app_is_refused_and_says_what_would_go(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC, "other.py": OTHER})
    assert run_gitops(["synth"], root).returncode == 0
    before = _tree(root)
    (root / "apps" / "web.py").write_text("# web = App(...)  commented out by mistake\n")
    result = run_gitops(["synth"], root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("apps/web.py: exposes no app")
    assert "generated/dev/web" in result.stderr and "generated/prod/web" in result.stderr
    assert "--allow-empty" in result.stderr
    assert _tree(root) == before
    allowed = run_gitops(["synth", "--allow-empty"], root)
    assert allowed.returncode == 0, allowed.stderr
    assert not (root / "generated" / "dev" / "web").exists() and (root / "generated" / "dev" / "other").is_dir()


def test_an_empty_apps_folder_does_not_delete_generated(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC})
    assert run_gitops(["synth"], root).returncode == 0
    before = _tree(root)
    (root / "apps" / "web.py").unlink()
    result = run_gitops(["synth"], root)
    assert result.returncode == 2
    assert result.stderr.startswith("apps: no spec file defines an app: synth would remove 2 folder(s) of generated/")
    assert _tree(root) == before
    assert run_gitops(["synth", "--allow-empty"], root).returncode == 0
    assert not (root / "generated" / "dev" / "web").exists()
