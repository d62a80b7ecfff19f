"""`gitops init` and the built wheel: a new repository, outside this one, that passes `gitops check`.

The end-to-end test builds the wheel from a copy of the package (so nothing but what the wheel
ships is used), installs it into a fresh virtual environment and runs `gitops init`, `synth` and
`check` there, in a temporary folder, with the installed `gitops` command. To keep it cheap, the
wheel is built once per session without build isolation, and outside CI the new environment takes
the dependencies from the one running the tests (a .pth file; only the wheel is installed into
it). On CI (`CI=true`) or with GITOPS_E2E_FULL_INSTALL=1 the dependencies are installed too, from
the index or pip's cache, which also proves pyproject.toml declares all of them.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from gitops import scaffold
from tests.conftest import IN_CI, REPO, run_cli
from tests.test_workflows import tool

FULL_INSTALL = IN_CI or os.environ.get("GITOPS_E2E_FULL_INSTALL") == "1"


def _run(args: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a virtual environment with the wheel built from this checkout."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(REPO / "gitops", source / "gitops", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    proc = _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", work / "dist", source], work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [wheel] = (work / "dist").glob("gitops-*.whl")
    venv = work / "venv"
    proc = _run([sys.executable, "-m", "venv", *([] if FULL_INSTALL else ["--without-pip"]), venv], work)
    assert proc.returncode == 0, proc.stderr
    python = venv / "bin" / "python"
    if FULL_INSTALL:
        proc = _run([python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", wheel], work)
    else:
        site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work).stdout.strip()
        ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        Path(site, "_gitops_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
        proc = _run([*pip, "--python", python, "install", wheel], work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return venv / "bin"


def _clean_env(bin_dir: Path) -> dict:
    """No trace of this checkout: no PYTHONPATH, the new environment first on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GITOPS_SPEC_TIMEOUT")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_wheel_scaffolds_a_repository_that_passes_check(installed, tmp_path):
    env = _clean_env(installed)
    where = _run([installed / "python", "-c", "import gitops; print(gitops.__file__)"], tmp_path, env)
    assert where.stdout.startswith(str(installed.parent)), where.stdout + where.stderr  # the wheel, not this checkout

    init = _run([installed / "gitops", "init", "team-repo"], tmp_path, env)
    assert init.returncode == 0, init.stdout + init.stderr
    repo = tmp_path / "team-repo"
    for path in [*scaffold.FILES, ".gitignore", "README.md"]:
        assert (repo / path).is_file(), path

    synth = _run([installed / "gitops", "synth"], repo, env)
    assert synth.returncode == 0, synth.stdout + synth.stderr
    assert sorted(p.name for p in (repo / "generated").iterdir()) == ["dev", "prod"]
    assert (repo / "generated" / "prod" / "hello" / "deployment-hello.yaml").is_file()
    check = _run([installed / "gitops", "check"], repo, env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "gitops check passed" in check.stdout

    # and the gate is real there: a hand edit of generated/ is drift
    deployment = repo / "generated" / "prod" / "hello" / "deployment-hello.yaml"
    deployment.write_text(deployment.read_text().replace("replicas: 3", "replicas: 4"))
    drift = _run([installed / "gitops", "check"], repo, env)
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert "deployment-hello.yaml" in drift.stdout + drift.stderr


def test_this_repositorys_workflows_are_the_templates():
    for path in scaffold.WORKFLOWS:
        assert (REPO / path).read_text() == scaffold.render(path, scaffold.MAKE_INSTALL), \
            f"{path} differs from gitops/scaffold/files/: edit the template, then `make docs`"


def test_scaffolded_workflows_pass_the_linters(tmp_path):
    scaffold.init(str(tmp_path), "gitops @ https://example.com/gitops-1.0-py3-none-any.whl")
    workflows = sorted(str(p) for p in (tmp_path / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 2
    proc = subprocess.run([tool("zizmor"), "--offline", "--persona=pedantic", *workflows], capture_output=True, text=True)
    assert proc.returncode == 0 and "No findings to report" in proc.stdout, proc.stdout + proc.stderr
    proc = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (tmp_path / ".github" / "workflows" / "pull-request.yml").read_text()
    assert 'GITOPS_PACKAGE: "gitops @ https://example.com/gitops-1.0-py3-none-any.whl"' in text
    assert 'gitops check --base "origin/${BASE_REF}"' in text and ".venv" not in text


def test_init_never_overwrites_and_keeps_an_existing_readme(tmp_path):
    (tmp_path / "README.md").write_text("# Our services\n\nSome text.")
    (tmp_path / ".gitignore").write_text("node_modules/\n")
    result = run_cli(["init"], tmp_path)
    assert result.exit_code == 0, result.output
    readme = (tmp_path / "README.md").read_text()
    assert readme.startswith("# Our services\n\nSome text.\n") and readme.count(scaffold.README_MARKER) == 1
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\n.gitops-cache/\n__pycache__/\n"

    (tmp_path / "apps" / "hello.py").write_text("# ours now\n")
    again = run_cli(["init", "."], tmp_path)
    assert again.exit_code == 2
    assert "already has gitops.yaml, apps/hello.py" in again.output and "never overwrites" in again.output
    assert (tmp_path / "apps" / "hello.py").read_text() == "# ours now\n"


def test_init_into_a_file_or_an_unwritable_folder_is_an_input_error(tmp_path):
    (tmp_path / "taken").write_text("a file\n")
    result = run_cli(["init", "taken"], tmp_path)
    assert result.exit_code == 2 and "exists and is not a folder" in result.output
    result = run_cli(["init", "taken/repo"], tmp_path)  # a folder that cannot be made, even by root
    assert result.exit_code == 2 and "cannot write" in result.output and "taken/repo" in result.output, result.output
