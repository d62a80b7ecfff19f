"""Loading apps/: isolation, the exposure convention, failures reported per file, duplicates."""
from __future__ import annotations

from tests.conftest import WEB_SPEC, make_project, run_cli

from gitops.errors import InputError
from gitops.spec.loader import load_apps

import pytest


def test_module_level_apps_and_apps_list_are_found(tmp_path):
    root = make_project(tmp_path, {
        "web.py": WEB_SPEC,
        "team/fleet.py": """
            from gitops import App
            apps = [App(name=f"svc-{i}", image="svc:1", ports=[80]) for i in range(3)]
        """,
        "_helpers.py": "raise RuntimeError('files starting with _ are helpers, not specs')",
    })
    loaded = load_apps(str(root / "apps"), str(root), ("dev", "prod"))
    assert [a.spec.name for a in loaded] == ["svc-0", "svc-1", "svc-2", "web"]
    assert loaded[-1].file == "apps/web.py" and loaded[-1].line == 3


def test_files_are_isolated_and_every_failing_file_is_reported(tmp_path):
    root = make_project(tmp_path, {
        "a.py": "x = 1\nraise ValueError('boom')\n",
        "b.py": "def broken(:\n",
        "c.py": "from gitops import App\nweb = App(name='c', image='c:1', replicas=-1)\n",
        "d.py": WEB_SPEC,
    })
    with pytest.raises(InputError) as info:
        load_apps(str(root / "apps"), str(root), ("dev", "prod"))
    lines = [str(p) for p in info.value.problems]
    assert lines[0] == "apps/a.py:2: ValueError: boom"
    assert lines[1].startswith("apps/b.py:1: syntax error")
    assert lines[2].startswith("apps/c.py:2: app 'c': replicas: got -1")
    assert len(lines) == 3


def test_duplicate_app_names_name_both_files(tmp_path):
    root = make_project(tmp_path, {"one.py": WEB_SPEC, "two.py": WEB_SPEC})
    with pytest.raises(InputError, match=r"apps/two.py:3: app 'web' is defined twice: here and at apps/one.py:3"):
        load_apps(str(root / "apps"), str(root), ("dev", "prod"))


def test_undeclared_environment_is_an_input_error(tmp_path):
    root = make_project(tmp_path, {"web.py": WEB_SPEC.replace('"prod"', '"staging"')})
    result = run_cli(["synth"], root)
    assert result.exit_code == 2
    assert "apps/web.py:3: app 'web': environments: 'staging' is not declared in gitops.yaml" in result.output
    assert not (root / "generated").exists()


def test_hostile_spec_files_get_one_line_each_and_no_hang(tmp_path):
    root = make_project(tmp_path, {
        "loop.py": "while True:\n    pass\n",
        "exits.py": "import sys\nsys.exit(3)\n",
        "deep.py": "def f():\n    return f()\nf()\n",
        "ok.py": WEB_SPEC,
    })
    from tests.conftest import run_gitops

    proc = run_gitops(["synth"], root, env={"GITOPS_SPEC_TIMEOUT": "1"})
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("apps/deep.py:2: RecursionError")
    assert lines[1] == "apps/exits.py:2: SystemExit: 3"
    assert lines[2].startswith("apps/loop.py: took longer than 1 s to load")
    assert len(lines) == 3 and "Traceback" not in proc.stderr
    assert not (root / "generated").exists()
