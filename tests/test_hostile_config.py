"""Hostile project settings and inputs: one line and exit 2 (or a finding), never a crash or loss."""
from __future__ import annotations

import os

import pytest

from tests.conftest import WEB_SPEC, gitops_here as run_gitops, make_project


@pytest.mark.parametrize("paths,complaint", [
    ("{generated: .}", "must be a folder of its own"),
    ("{generated: .git}", "must be a folder of its own"),
    ("{generated: apps}", "overlaps apps"),
    ("{generated: policies}", "overlaps policies"),
    ("{cache: generated}", "overlaps cache"),
])
def test_paths_that_would_replace_user_files_are_refused(tmp_path, paths, complaint):
    root = make_project(tmp_path / "p", {"web.py": WEB_SPEC},
                        config=f"environments: {{dev: {{}}}}\npaths: {paths}\n")
    proc = run_gitops(["synth"], root)
    assert proc.returncode == 2 and complaint in proc.stderr and "gitops.yaml:2:" in proc.stderr
    assert (root / "apps/web.py").exists() and (root / "gitops.yaml").exists()


@pytest.mark.parametrize("text", ["foo: &a [*a]\n", "namespace: !custom x\n", "kubernetesVersion: 2027-13-45\n",
                                  "x: !!binary 'zz!'\n", "a: " + "[" * 600 + "]" * 600 + "\n",
                                  'kubernetesVersion: "1.99"\n'])
def test_odd_yaml_in_the_config_is_an_input_error(tmp_path, text):
    root = make_project(tmp_path / "p", {"web.py": WEB_SPEC}, config=text)
    proc = run_gitops(["synth"], root)
    assert proc.returncode == 2 and proc.stderr.startswith("gitops.yaml"), proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_missing_project_folder_or_apps_folder_fails_the_gate(tmp_path):
    proc = run_gitops(["-C", str(tmp_path / "nope"), "check"], tmp_path)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert not (tmp_path / "nope").exists()
    proc = run_gitops(["check"], tmp_path)
    assert proc.returncode == 2 and "no apps/ folder" in proc.stderr


def test_a_dangling_symlink_in_generated_is_drift_not_a_crash(tmp_path):
    root = make_project(tmp_path / "p", {"web.py": WEB_SPEC})
    assert run_gitops(["synth"], root).returncode == 0
    os.symlink("nowhere", root / "generated/dev/web/broken.yaml")
    proc = run_gitops(["check"], root)
    assert proc.returncode == 1 and "generated/dev/web/broken.yaml" in proc.stdout
    assert run_gitops(["synth"], root).returncode == 0
    assert not os.path.lexists(root / "generated/dev/web/broken.yaml")


def test_schema_import_refuses_names_that_leave_the_schemas_folder(tmp_path):
    crd = tmp_path / "crd.yaml"
    crd.write_text("""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: x}
spec:
  group: "../.."
  names: {kind: "../../x", plural: xs}
  scope: Namespaced
  versions:
  - name: "../v"
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object}}
""")
    root = make_project(tmp_path / "p", {"web.py": WEB_SPEC})
    proc = run_gitops(["schemas", "import", str(crd)], root)
    assert proc.returncode == 2 and "is not a valid name" in proc.stderr
    assert not any(p.name.endswith(".json") for p in tmp_path.rglob("*") if "p" not in p.parts[-3:])


@pytest.mark.parametrize("schema", ['{"type": 5}', "[1]", '{"pattern": "(["}', "not json", "[" * 5000])
def test_a_broken_schema_file_is_an_input_error_naming_it(tmp_path, schema):
    (tmp_path / "d").mkdir()
    (tmp_path / "d/widget.json").write_text(schema)
    (tmp_path / "w.yaml").write_text("apiVersion: x.io/v1\nkind: Widget\nmetadata: {name: a}\n")
    proc = run_gitops(["validate", "--schema-location", "d/{{ .ResourceKind }}.json", "w.yaml"], tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("d/widget.json: the schema for x.io/v1 Widget"), proc.stderr
