"""Honest caches: a spec that reads a data file or an environment variable is loaded and synthesized
again when that input changes, by synth, check and check --base HEAD (issue 12)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import gitops_here as run_gitops, make_project

FLEET_SPEC = """\
import json, os
from gitops import App, Port, Probe, Resources

here = os.path.dirname(__file__)
with open(os.path.join(here, "fleet.json")) as fh:
    fleet = json.load(fh)
apps = [App(name=name, image=f"registry.example.com/{name}:1.0.0", ports=[Port(name="http", port=8080)],
            resources=Resources(cpu="100m", memory="128Mi"), replicas=count,
            readiness=Probe.http("/ready"), liveness=Probe.http("/healthz", period_seconds=20))
        for name, count in sorted(fleet.items())]
"""

ENV_SPEC = """\
import os
from gitops import App, Port, Probe, Resources

web = App(name="web", image="registry.example.com/web:" + os.environ.get("WEB_VERSION", "1.0.0"),
          ports=[Port(name="http", port=8080)], resources=Resources(cpu="100m", memory="128Mi"),
          readiness=Probe.http("/ready"), liveness=Probe.http("/healthz", period_seconds=20))
"""

OTHER_SPEC = """\
from gitops import App, Port, Probe, Resources

other = App(name="other", image="registry.example.com/other:1.0.0", ports=[Port(name="http", port=8080)],
            resources=Resources(cpu="100m", memory="128Mi"),
          readiness=Probe.http("/ready"), liveness=Probe.http("/healthz", period_seconds=20))
"""


DEV_ONLY = 'kubernetesVersion: "1.33"\nenvironments:\n  dev: {}\n'


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True,
                   capture_output=True)


def _committed(root: Path) -> None:
    (root / ".gitignore").write_text(".gitops-cache/\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")


def test_a_data_file_a_spec_reads_keys_the_caches(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"fleet.py": FLEET_SPEC, "other.py": OTHER_SPEC}, DEV_ONLY)
    (root / "apps" / "fleet.json").write_text('{"api": 1, "worker": 1}')
    assert run_gitops(["synth"], root).returncode == 0
    _committed(root)
    (root / "apps" / "fleet.json").write_text('{"api": 2, "worker": 1}')
    for args in (["check"], ["check", "--base", "HEAD"]):
        result = run_gitops(args, root)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "generated/dev/api/deployment-api.yaml" in result.stdout
    synth = run_gitops(["synth"], root)
    assert "already up to date" not in synth.stdout
    assert "replicas: 2" in (root / "generated" / "dev" / "api" / "deployment-api.yaml").read_text()
    assert run_gitops(["check"], root).returncode == 0


def test_a_data_file_read_from_outside_apps_puts_its_specs_in_the_scope_of_a_base_check(tmp_path: Path) -> None:
    spec = FLEET_SPEC.replace('os.path.join(here, "fleet.json")', 'os.path.join(here, "..", "data", "fleet.json")')
    root = make_project(tmp_path / "p", {"fleet.py": spec, "other.py": OTHER_SPEC}, DEV_ONLY)
    (root / "data").mkdir()
    (root / "data" / "fleet.json").write_text('{"api": 1}')
    assert run_gitops(["synth"], root).returncode == 0
    _committed(root)
    (root / "data" / "fleet.json").write_text('{"api": 3}')
    result = run_gitops(["check", "--base", "HEAD"], root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "changed:  generated/dev/api/deployment-api.yaml" in result.stdout
    # and the base side, checked out from git, finds the file the spec reads there
    (root / "apps" / "fleet.py").write_text(spec + "\n# touched\n")
    assert run_gitops(["synth"], root).returncode == 0
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "more")
    (root / "apps" / "fleet.py").write_text(spec + "\n# touched again\n")
    again = run_gitops(["check", "--base", "HEAD"], root)
    assert again.returncode == 0, again.stdout + again.stderr


def test_an_environment_variable_a_spec_reads_keys_the_caches(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"web.py": ENV_SPEC, "other.py": OTHER_SPEC}, DEV_ONLY)
    assert run_gitops(["synth"], root, env={"WEB_VERSION": "1.0.0"}).returncode == 0
    _committed(root)
    changed = {"WEB_VERSION": "2.0.0"}
    for args in (["check"], ["check", "--base", "HEAD"]):
        result = run_gitops(args, root, env=changed)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "generated/dev/web/deployment-web.yaml" in result.stdout
    synth = run_gitops(["synth"], root, env=changed)
    assert "already up to date" not in synth.stdout
    assert "web:2.0.0" in (root / "generated" / "dev" / "web" / "deployment-web.yaml").read_text()
    assert run_gitops(["check"], root, env=changed).returncode == 0
