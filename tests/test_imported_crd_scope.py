"""After `gitops schemas import` of a real CRD, folders that mix core-group objects (a v1 ConfigMap,
a Service) with custom resources still validate, and the gate still runs (issue 12)."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import gitops_here as run_gitops, require_shared

MIXED = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ml}
data: {mode: fast}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ml}
spec:
  ports: [{port: 80}]
---
apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: llm, namespace: ml}
spec:
  runtimeRef: {name: torch-distributed}
  unknownField: 1
"""


def test_core_group_objects_validate_after_importing_a_real_crd(project: Path) -> None:
    crd = require_shared() / "crds" / "kubeflow" / "trainer.kubeflow.org_trainjobs.yaml"
    imported = run_gitops(["schemas", "import", str(crd)], project)
    assert imported.returncode == 0, imported.stderr
    folder = project / "manifests"
    folder.mkdir()
    (folder / "mixed.yaml").write_text(MIXED)
    result = run_gitops(["validate", "manifests"], project)
    assert "not a valid name" not in result.stderr
    assert result.returncode == 1, result.stdout + result.stderr  # the TrainJob's unknown field, only
    assert "unknownField" in result.stdout
    assert "ConfigMap" not in result.stdout and "Service" not in result.stdout
    (folder / "mixed.yaml").write_text(MIXED.replace("  unknownField: 1\n", ""))
    clean = run_gitops(["validate", "manifests"], project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert run_gitops(["synth"], project).returncode == 0
    gate = run_gitops(["check"], project)
    assert gate.returncode == 0, gate.stdout + gate.stderr
