"""A team that edits apps/ keeps a green `make test`: the tool's generated documentation is made
from the tool's own examples (gitops/docs/examples/), not from this repository's apps/.

Which documents are about what:
- about the tool, generated from its code and its own examples, checked by the tests:
  docs/workloads.md (gitops/docs/examples/), docs/spec-reference.md and docs/configuration.md
  (the spec classes, gitops/config.py), docs/rules.md and docs/apiserver-checks.md (the catalog);
- about this repository, made from its apps/ and gitops.yaml: generated/ (its gate is
  `gitops check`, which CI runs; tests/test_repository.py runs it too).
"""
from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import REPO, run_gitops

TEAM_APP = """\
from gitops import Port, Probe, Resources, Service

# sorts first, and is a Service: before, it became docs/workloads.md's Service example
aardvark = Service(
    name="aardvark",
    image="ghcr.io/acme/aardvark:1.0.0",
    ports=[Port(name="http", port=8080)],
    resources=Resources(cpu="100m", memory="128Mi"),
    readiness=Probe.http("/ready"),
    liveness=Probe.http("/healthz", period_seconds=20),
    labels={"app.kubernetes.io/part-of": "aardvark"},
    environments={"prod": {"replicas": 2}},
)
"""


def _doc_check(module: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, "--check"], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_a_new_app_in_a_copy_of_this_repository_leaves_the_tools_docs_fresh(tmp_path):
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("gitops.yaml", "apps", "policies", "generated", "docs"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (copy / "apps" / "aardvark.py").write_text(TEAM_APP)

    synth = run_gitops(["synth"], copy)
    assert synth.returncode == 0, synth.stderr
    assert (copy / "generated" / "prod" / "aardvark" / "deployment-aardvark.yaml").is_file()
    check = run_gitops(["check"], copy)
    assert check.returncode == 0, check.stdout + check.stderr  # the team's own gate

    for module in ("gitops.docs.workloads", "gitops.docs.reference"):
        proc = _doc_check(module, copy)
        assert proc.returncode == 0, f"{module}: {proc.stderr}"
    assert "aardvark" not in (copy / "docs" / "workloads.md").read_text()


def test_the_documented_examples_are_the_tools_own():
    text = (REPO / "docs" / "workloads.md").read_text()
    assert "Example: `gitops/docs/examples/apps/" in text
    assert "Example: `apps/" not in text
