"""`gitops validate`, `gitops schemas import` and validation inside `gitops check`, end to end."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops.schema import run as run_mod
from gitops.schema.validator import Options
from tests.conftest import BASIC_CONFIG, REPO, require_shared, run_cli

GOOD = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
"""
BAD_PORT = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: nginx:1.27
    ports:
    - containerPort: http
"""


def tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    (root / "gitops.yaml").write_text(BASIC_CONFIG)
    return root


def test_repository_generated_tree_is_clean():
    result = run_cli(["validate", "generated"], REPO)
    assert result.exit_code == 0, result.output
    assert "Invalid: 0, Errors: 0" in result.output


def test_default_path_is_generated_and_findings_exit_1_with_file_line_and_path(tmp_path):
    root = tree(tmp_path, {"generated/dev/a/pod.yaml": BAD_PORT, "generated/dev/a/cm.yaml": GOOD})
    result = run_cli(["validate"], root)
    assert result.exit_code == 1
    assert "generated/dev/a/pod.yaml" in result.output
    assert 'spec.containers[0].ports[0].containerPort: expected integer, got string "http"' in result.output
    assert result.output.startswith("generated/dev/a/pod.yaml:9:7: error schema-type Pod/p ")
    assert result.output.splitlines()[-1] == \
        "Summary: 2 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 0, Skipped: 0"


def test_unknown_kubernetes_version_exits_2_listing_supported(tmp_path):
    root = tree(tmp_path, {"m/cm.yaml": GOOD})
    result = run_cli(["validate", "--kubernetes-version", "1.99", "m"], root)
    assert result.exit_code == 2


def test_several_outputs_in_one_run(tmp_path):
    root = tree(tmp_path, {"m/pod.yaml": BAD_PORT})
    result = run_cli(["validate", "m", "-o", "json=out/r.json", "-o", "sarif=out/r.sarif", "-o", "github"], root)
    assert result.exit_code == 1
    assert result.output.startswith("::error file=m/pod.yaml,line=9,")
    assert json.loads((root / "out/r.json").read_text())["summary"]["invalid"] == 1
    assert json.loads((root / "out/r.sarif").read_text())["version"] == "2.1.0"


def test_flags_skip_ignore_missing_no_strict_and_fail_on(tmp_path):
    custom = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    typo = GOOD + "extra: field\n"
    root = tree(tmp_path, {"m/w.yaml": custom, "t/cm.yaml": typo, "d/ep.yaml":
                           "apiVersion: v1\nkind: Endpoints\nmetadata: {name: e}\n"})
    assert run_cli(["validate", "m"], root).exit_code == 1
    assert "Skipped: 1" in run_cli(["validate", "m", "--ignore-missing-schemas"], root).output
    assert run_cli(["validate", "m", "--skip", "Pod,Widget"], root).exit_code == 0
    assert run_cli(["validate", "t"], root).exit_code == 1
    assert run_cli(["validate", "t", "--no-strict"], root).exit_code == 0
    assert run_cli(["validate", "d"], root).exit_code == 0  # a deprecation is a warning
    assert run_cli(["validate", "d", "--fail-on", "warning"], root).exit_code == 1


def test_hostile_files_each_get_a_verdict(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh"))
    root = tree(tmp_path, {
        "h/1-syntax.yaml": "apiVersion: v1\nkind: [\n",
        "h/2-binary.yaml": bytes(range(256)),
        "h/3-bomb.yaml": bomb,
        "h/4-dup.yaml": GOOD + "data: {b: '2'}\n",
        "h/5-empty.yaml": "---\n---\n",
        "h/6-good.yaml": "\ufeff" + GOOD.replace("\n", "\r\n"),
        "h/7-deep.yaml": "[" * 3000 + "]" * 3000,
    })
    result = run_cli(["validate", "h", "-o", "json"], root)
    assert result.exit_code == 1
    data = json.loads(result.output)
    by_file = {}
    for f in data["findings"]:
        by_file.setdefault(f["file"].split("/")[-1], set()).add(f["rule"])
    assert by_file["1-syntax.yaml"] == {"manifest-syntax"}
    assert by_file["2-binary.yaml"] == {"manifest-not-yaml"}
    assert by_file["3-bomb.yaml"] == {"manifest-alias-limit"}
    assert by_file["4-dup.yaml"] == {"manifest-duplicate-key"}
    assert "6-good.yaml" not in by_file and "5-empty.yaml" not in by_file
    assert "7-deep.yaml" in by_file
    assert data["summary"]["files"] == 7 and data["summary"]["valid"] == 1


def test_parallel_run_reports_the_same_as_one_process(tmp_path, monkeypatch):
    files = {f"m/{i:03}.yaml": (BAD_PORT if i % 7 == 0 else GOOD).replace("name: ", f"name: n{i}") for i in range(40)}
    files["m/broken.yaml"] = "kind: [\n"
    root = tree(tmp_path, files)
    monkeypatch.setattr(run_mod, "PARALLEL_MIN_BYTES", 1000)
    options = Options("1.33")
    single = run_mod.validate_paths([str(root / "m")], options, jobs=1)
    double = run_mod.validate_paths([str(root / "m")], options, jobs=2, keep_checked=True)
    assert (single.valid, single.invalid, single.errors, single.files) == (34, 6, 1, 41)
    assert (double.valid, double.invalid, double.errors, double.files) == (34, 6, 1, 41)
    assert sorted(f.sort_key() for f in single.findings) == sorted(f.sort_key() for f in double.findings)
    assert len(double.checked) == 41


def test_schemas_import_then_validate_custom_resources(tmp_path):
    shared = require_shared()
    app = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\nspec:\n"
           "  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: web}\n"
           "  source: {repoURL: https://git.example.com/r.git, path: p, targetRevison: main}\n")
    root = tree(tmp_path, {"m/app.yaml": app})
    assert run_cli(["validate", "m"], root).exit_code == 1  # the typo, or no schema without gitops.delivery
    imported = run_cli(["schemas", "import", str(shared / "crds" / "argo-cd")], root)
    assert imported.exit_code == 0 and (root / "schemas/argoproj.io/application_v1alpha1.json").is_file()
    result = run_cli(["validate", "m"], root)
    assert result.exit_code == 1 and 'unknown field "targetRevison"' in result.output
    assert "did you mean 'targetRevision'?" in result.output
    assert run_cli(["schemas", "import", str(root / "m")], root).exit_code == 2  # no CRD there


def test_check_runs_schema_validation_as_a_gate_stage(project):
    from gitops import config as config_mod
    from gitops.manifests.resource import Origin, Resource
    from gitops.schema.stage import schema_stage
    from gitops.check.stages import FINDING_STAGES

    assert "schema_stage" in [stage.__name__ for stage in FINDING_STAGES]
    assert run_cli(["synth"], project).exit_code == 0
    assert run_cli(["check"], project).exit_code == 0
    config = config_mod.load(str(project))
    bad = Resource(json.loads(json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                                          "spec": {"ports": [{"port": "80"}]}})), Origin(file="nowhere.yaml", line=3))
    old = Resource({"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "c"}}, Origin())
    findings = schema_stage(config, [bad, old], None, on_disk=False)
    assert [(f.rule, f.path, f.line) for f in findings] == [("schema-type", "spec.ports[0].port", 3)]


def test_duplicate_keys_are_errors_when_strict_and_warnings_otherwise(tmp_path):
    root = tree(tmp_path, {"m/cm.yaml": GOOD + "data: {b: '2'}\n"})
    strict = run_cli(["validate", "m"], root)
    assert strict.exit_code == 1 and "duplicate key 'data' (first on line 4)" in strict.output
    relaxed = run_cli(["validate", "m", "--no-strict"], root)
    assert relaxed.exit_code == 0 and "warning" in relaxed.output


def test_schema_location_flag_reads_a_local_catalog(tmp_path):
    schema = {"type": "object", "required": ["spec"], "properties": {"spec": {"type": "object", "properties": {
        "size": {"type": "integer"}}}}}
    root = tree(tmp_path, {"catalog/example.com/widget_v1.json": json.dumps(schema),
                           "m/w.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
                                       "spec: {size: big}\n"})
    location = "catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
    result = run_cli(["validate", "m", "--schema-location", location], root)
    assert result.exit_code == 1 and "spec.size: expected integer, got string \"big\"" in result.output
    assert run_cli(["validate", "m", "--schema-location", "https://example.com/{{ .ResourceKind }}.json"],
                   root).exit_code == 2


def test_a_large_file_is_read_in_parts_with_true_lines_and_indices(tmp_path, monkeypatch):
    docs = [GOOD.replace("name: cfg", f"name: c{i}") for i in range(300)]
    docs[250] = BAD_PORT
    text = "# header comment\n" + "---\n".join(docs)
    root = tree(tmp_path, {"big/all.yaml": text, "big/small.yaml": "kind: [\n"})
    monkeypatch.setattr(run_mod, "LARGE_FILE", 1000)
    monkeypatch.setattr(run_mod, "PART_BYTES", 2000)
    whole = run_mod.validate_paths([str(root / "big")], Options("1.33"), jobs=1)
    monkeypatch.setattr(run_mod, "LARGE_FILE", 1 << 30)
    reference = run_mod.validate_paths([str(root / "big")], Options("1.33"), jobs=1)
    for report in (whole, reference):
        assert (report.files, report.resources, report.valid, report.invalid, report.errors) == (2, 301, 299, 1, 1)
    [port] = [f for f in whole.findings if f.rule == "schema-type"]
    [expected] = [f for f in reference.findings if f.rule == "schema-type"]
    assert (port.origin, port.line) == (expected.origin, expected.line)
    assert port.origin.doc_index == 250 and text.splitlines()[port.line - 1].strip() == "- containerPort: http"
    monkeypatch.setattr(run_mod, "LARGE_FILE", 1000)
    parallel = run_mod.validate_paths([str(root / "big")], Options("1.33"), jobs=2)
    assert sorted(f.sort_key() for f in parallel.findings) == sorted(f.sort_key() for f in whole.findings)


def test_delivery_objects_validate_against_the_schemas_gitops_ships(tmp_path):
    pytest.importorskip("gitops.delivery.schemas")
    app = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: argocd}\n"
           "spec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: web}\n"
           "  source: {repoURL: https://git.example.com/r.git, path: p, targetRevision: main}\n")
    root = tree(tmp_path, {"m/app.yaml": app, "t/app.yaml": app.replace("targetRevision", "targetRevison")})
    assert run_cli(["validate", "m"], root).exit_code == 0  # no CRD imported: the bundled schema serves
    typo = run_cli(["validate", "t"], root)
    assert typo.exit_code == 1 and 'unknown field "targetRevison"' in typo.output
