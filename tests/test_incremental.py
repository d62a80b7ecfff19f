"""Caches never serve stale output: specs, shared helpers, code and hand edits are all noticed."""
from __future__ import annotations

import io
import os

from gitops.synth import pipeline
from tests.conftest import make_project, run_cli

COUNTER_SPEC = """\
import os
from gitops import App
from _shared import IMAGE

with open(os.environ["IMPORT_LOG"], "a") as log:
    log.write("imported\\n")
web = App(name="web", image=IMAGE, ports=[8080])
"""


def test_unchanged_spec_files_are_not_imported_again(tmp_path, monkeypatch):
    log = tmp_path / "imports.log"
    monkeypatch.setenv("IMPORT_LOG", str(log))
    root = make_project(tmp_path / "p", {"web.py": COUNTER_SPEC, "_shared.py": "IMAGE = 'web:1'\n"})
    assert run_cli(["synth"], root).exit_code == 0
    assert run_cli(["synth"], root).exit_code == 0
    assert log.read_text().count("imported") == 1
    assert not (root / "apps" / "__pycache__").exists(), "no bytecode is written into the user's apps/"


def test_a_changed_shared_helper_invalidates_the_specs_that_import_it(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_LOG", str(tmp_path / "imports.log"))
    root = make_project(tmp_path / "p", {"web.py": COUNTER_SPEC, "_shared.py": "IMAGE = 'web:1'\n"})
    assert run_cli(["synth"], root).exit_code == 0
    (root / "apps/_shared.py").write_text("IMAGE = 'web:2'\n")
    assert run_cli(["synth"], root).exit_code == 0
    assert "image: web:2" in (root / "generated/dev/web/deployment-web.yaml").read_text()


def test_a_hand_edit_after_synth_is_caught_even_with_a_warm_cache(tmp_path):
    root = make_project(tmp_path / "p", {"web.py": "from gitops import App\nweb = App(name='web', image='w:1', ports=[80])\n"})
    assert run_cli(["synth"], root).exit_code == 0
    # this minimal app breaks policies (no requests, no probes): only drift decides the exit code here
    assert run_cli(["check", "--fail-on", "never"], root).exit_code == 0
    path = root / "generated/dev/web/service-web.yaml"
    path.write_text(path.read_text().replace("port: 80", "port: 81"))
    result = run_cli(["check", "--fail-on", "never"], root)
    assert result.exit_code == 1 and "changed:  generated/dev/web/service-web.yaml" in result.output
    assert run_cli(["synth"], root).exit_code == 0
    assert "port: 80" in path.read_text()


def test_one_changed_app_rewrites_only_its_folder(tmp_path):
    root = make_project(tmp_path / "p", {
        "a.py": "from gitops import App\na = App(name='a', image='a:1', ports=[80])\n",
        "b.py": "from gitops import App\nb = App(name='b', image='b:1', ports=[80])\n"})
    assert run_cli(["synth"], root).exit_code == 0
    untouched = root / "generated/dev/b/deployment-b.yaml"
    inode = os.stat(untouched).st_ino
    (root / "apps/a.py").write_text("from gitops import App\na = App(name='a', image='a:2', ports=[80])\n")
    assert "updated" in run_cli(["synth"], root).output
    assert os.stat(untouched).st_ino == inode, "unchanged files are linked into the new tree, not rewritten"
    assert "image: a:2" in (root / "generated/dev/a/deployment-a.yaml").read_text()


def test_progress_shows_on_a_terminal_only(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.delenv("CI", raising=False)
    show = pipeline.terminal_progress("synth")
    show(5, 10)
    show(10, 10)
    assert stream.getvalue() == "\rsynth: 5/10 apps\rsynth: 10/10 apps\n"
    monkeypatch.setenv("CI", "true")
    assert pipeline.terminal_progress("synth") is None
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert pipeline.terminal_progress("synth") is None
