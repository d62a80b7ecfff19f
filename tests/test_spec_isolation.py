"""Spec files are user code: they run in loader processes that gitops can time out and kill, and
nothing they do (threads, C loops, ignored signals, os._exit, print) changes the verdict (issue 12)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import WEB_SPEC, make_project, run_gitops

SHORT = {"GITOPS_SPEC_TIMEOUT": "2"}


def test_a_spec_that_starts_a_non_daemon_thread_does_not_keep_gitops_alive(tmp_path: Path) -> None:
    spec = WEB_SPEC + "\nimport threading\nthreading.Thread(target=threading.Event().wait).start()\n"
    root = make_project(tmp_path, {"web.py": spec})
    result = run_gitops(["synth"], root)
    assert result.returncode == 0, result.stderr
    assert (root / "generated" / "prod" / "web" / "kustomization.yaml").is_file()


def test_a_long_c_level_loop_or_an_ignored_sigalrm_does_not_defeat_the_limit(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        "cloop.py": "total = sum(range(10 ** 14))\n",
        "ignores.py": "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n",
        "web.py": WEB_SPEC,
    })
    result = run_gitops(["synth"], root, env=SHORT)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("apps/cloop.py: took longer than 2 s to load")
    assert lines[1].startswith("apps/ignores.py: took longer than 2 s to load")
    assert len(lines) == 2
    assert not (root / "generated").exists()


def test_os_exit_in_a_spec_is_an_input_error_not_a_passing_check(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC})
    assert run_gitops(["synth"], root).returncode == 0
    deployment = root / "generated" / "prod" / "web" / "deployment-web.yaml"
    deployment.write_text(deployment.read_text().replace("replicas: 3", "replicas: 5"))  # drift
    (root / "apps" / "quit.py").write_text("import os\nos._exit(0)\n")
    result = run_gitops(["check"], root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("apps/quit.py: the spec file ended its loader process"), result.stderr
    assert "exited with code 0" in result.stderr


def test_a_spec_that_prints_does_not_corrupt_a_report_on_stdout(tmp_path: Path) -> None:
    spec = "import sys\nprint('hello from a spec')\nsys.stdout.write('more')\n" + WEB_SPEC
    root = make_project(tmp_path, {"web.py": spec})
    assert run_gitops(["synth"], root).returncode == 0
    for args in (["check", "--no-cache", "--output", "json"], ["check", "--output", "json"]):
        result = run_gitops(args, root)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)  # only the report is on stdout
        assert isinstance(report, dict)
        assert "hello from a spec" not in result.stdout


def test_a_spec_killed_by_a_signal_names_the_file(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC, "crash.py": "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"})
    result = run_gitops(["synth"], root)
    assert result.returncode == 2
    assert result.stderr.strip() == ("apps/crash.py: the spec file ended its loader process before it finished "
                                     "loading: the process was killed by SIGSEGV; a spec file should only build apps")


def test_loaders_run_this_gitops_even_beside_a_folder_named_gitops(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC})
    (root / "gitops").mkdir()
    (root / "gitops" / "__init__.py").write_text("raise SystemExit('not the gitops package')\n")
    script = Path(sys.executable).parent / "gitops"  # the installed command, as users run it
    result = subprocess.run([str(script), "synth"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (root / "generated" / "dev" / "web" / "kustomization.yaml").is_file()
