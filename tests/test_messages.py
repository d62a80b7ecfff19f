"""Every input error names its file and line and says what to do; bugs say where to report them;
--debug works before or after the subcommand (issue 12)."""
from __future__ import annotations

from pathlib import Path

import click
import pytest

from tests.conftest import WEB_SPEC, gitops_here, make_project, run_cli, run_gitops


@pytest.mark.parametrize("config,expected", [
    ('kubernetesVersion: "1.33"\nenvironments:\n  Dev: {}\n',
     "gitops.yaml:3: Dev: environment name: got 'Dev'; expected a DNS-1123 label"),
    ('kubernetesVersion: 1.30\n',
     'gitops.yaml:1: kubernetesVersion: got 1.30 unquoted, which YAML reads as the number 1.3; quote it: '
     'kubernetesVersion: "1.30"'),
    ('kubernetesVersion: "1.33"\nnamespace: "team\x01{app}"\n',
     "gitops.yaml:2: not valid YAML: control character U+0001 is not allowed"),
])
def test_config_errors_name_the_line_and_the_value_as_written(tmp_path: Path, config: str, expected: str) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC}, config=config)
    result = gitops_here(["synth"], root)
    assert result.returncode == 2
    assert result.stderr.startswith(expected), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_defined_twice_names_the_defining_and_the_importing_file(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"web.py": WEB_SPEC, "copy.py": "from web import web\n"})
    result = gitops_here(["synth"], root)
    assert result.returncode == 2
    assert result.stderr.strip() == ("apps/web.py:3: app 'web' is defined twice: here and at apps/web.py:3 (exposed "
                                     "by apps/copy.py); app names must be unique (a spec that imports another "
                                     "spec's app exposes it again)")


@pytest.mark.parametrize("args", [["--debug", "synth"], ["synth", "--debug"]])
def test_debug_works_before_or_after_the_subcommand(tmp_path: Path, args: list[str]) -> None:
    root = make_project(tmp_path, {"web.py": "raise ValueError('boom')\n"})
    (root / "gitops.yaml").write_text("kubernetesVersion: 1.99\n")
    result = run_gitops(args, root)
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "gitops.yaml:1: kubernetesVersion" in result.stderr


def test_a_bug_says_it_is_one_and_where_to_report_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gitops import commands

    @click.command("synth")
    def broken() -> None:
        raise KeyError("oops")

    monkeypatch.setattr(commands, "load", lambda name: broken)
    result = run_cli(["synth"], tmp_path)
    assert result.exit_code == 3
    assert "This is a bug in gitops" in result.output
    assert "report it at the issue tracker of the repository you installed gitops from" in result.output
    assert "--debug" in result.output
