"""Shared helpers: small projects made on the fly, and the CLI run in-process or as a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from gitops.cli import main

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI") == "true"

BASIC_CONFIG = """\
kubernetesVersion: "1.33"
environments:
  dev: {}
  prod: {production: true}
"""

WEB_SPEC = """\
from gitops import App, Port, Probe, Resources

web = App(
    name="web",
    image="registry.example.com/web:1.0.0",
    ports=[Port(name="http", port=8080)],
    resources=Resources(cpu="100m", memory="128Mi"),
    readiness=Probe.http("/ready"),
    liveness=Probe.http("/healthz", period_seconds=20),
    environments={"prod": {"replicas": 3}},
)
"""


def make_project(root: Path, specs: dict[str, str], config: str = BASIC_CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "gitops.yaml").write_text(config)
    for rel, text in specs.items():
        path = root / "apps" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", {"web.py": WEB_SPEC})


def run_cli(args: list[str], cwd: Path):
    """Run the CLI in this process (fast: cdk8s stays loaded between tests)."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def gitops_here(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI in this process, answering like `run_gitops` (returncode, stdout, stderr): the same
    command code, without paying Python, cdk8s and Node start-up again. Use `run_gitops` where the
    process itself is under test (signals, limits, locks held by another process)."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def run_gitops(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `gitops` command in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "gitops", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


def require_shared() -> Path:
    """../shared/ holds official CRDs for tests; a user's clone lacks it, CI must have it."""
    if not SHARED.is_dir():
        if IN_CI:
            pytest.fail(f"{SHARED} is missing on CI; these tests must not be skipped there")
        pytest.skip(f"{SHARED} is not present (only in the team's checkout and CI)")
    return SHARED
