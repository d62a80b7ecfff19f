"""Helm chart files, kustomize patches and templates are build inputs, not manifests: `gitops policy`
skips each with one info line instead of linting it (issue 14)."""
import json
from pathlib import Path

from click.testing import CliRunner

from gitops.cli import main
from gitops.manifests.reader import read_paths

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: "ghcr.io/acme/api:1.0"}]}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_helm_chart_files_are_skipped_one_info_line_each(tmp_path):
    write(tmp_path, {
        "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
        "chart/values.yaml": "replicas: 2\nimage: {tag: '1.0'}\n",
        "chart/values-prod.yaml": "replicas: 3\n",
        "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                           "  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n",
        "chart/templates/sub/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n",
        "rendered/deployment.yaml": DEPLOYMENT,
    })
    read = read_paths([str(tmp_path)])
    skipped = sorted(Path(f.origin.file).relative_to(tmp_path).as_posix() for f in read.findings)
    assert skipped == ["chart/Chart.yaml", "chart/templates/deployment.yaml", "chart/templates/sub/service.yaml",
                       "chart/values-prod.yaml", "chart/values.yaml"]
    assert {(f.rule, f.severity, f.origin.line) for f in read.findings} == {("manifest-skipped", "info", 1)}
    assert [r.name for r in read.resources] == ["api"]
    assert read.files == 6


def test_a_templates_folder_outside_a_chart_is_read(tmp_path):
    write(tmp_path, {"templates/deployment.yaml": DEPLOYMENT})
    read = read_paths([str(tmp_path)])
    assert read.findings == [] and [r.name for r in read.resources] == ["api"]


def test_kustomize_patches_named_from_a_folder_above_are_skipped(tmp_path):
    write(tmp_path, {
        "base/deployment.yaml": DEPLOYMENT,
        "overlay/kustomization.yaml": "resources: [../base]\npatches:\n- path: patches/replicas.yaml\n"
                                      "patchesStrategicMerge: [memory.yaml]\n"
                                      "configMapGenerator:\n- {name: cfg, files: [settings.yaml]}\n",
        "overlay/patches/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
                                         "spec: {replicas: 3}\n",
        "overlay/memory.yaml": "- op: replace\n  path: /spec/replicas\n  value: 2\n",
        "overlay/settings.yaml": "logLevel: info\n",
        "overlay/extra.yaml": DEPLOYMENT.replace("name: api,", "name: extra,"),
    })
    read = read_paths([str(tmp_path)])
    skipped = sorted(Path(f.origin.file).relative_to(tmp_path).as_posix() for f in read.findings)
    assert skipped == ["overlay/memory.yaml", "overlay/patches/replicas.yaml", "overlay/settings.yaml"]
    assert all("overlay/kustomization.yaml" in f.message for f in read.findings)
    assert sorted(r.name for r in read.resources) == ["api", "extra"]


def test_files_with_unquoted_placeholders_are_templates(tmp_path):
    write(tmp_path, {
        "rc-template.yaml": "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: etcd}\n"
                            "spec:\n  replicas: {{replicas}}\n",
        "quoted.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules, namespace: m}\n"
                       "data: {alert: 'value {{ $labels.instance }}'}\n",
    })
    read = read_paths([str(tmp_path)])
    assert [(Path(f.origin.file).name, f.rule) for f in read.findings] == [("rc-template.yaml", "manifest-skipped")]
    assert [r.name for r in read.resources] == ["rules"]


def test_policy_command_reports_skips_as_info_and_passes(tmp_path, monkeypatch):
    write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
                     "chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["policy", "chart", "--output", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("manifest-skipped", "info")] * 2


def test_a_selector_whose_pods_may_be_in_a_skipped_template_is_only_unsure(tmp_path, monkeypatch):
    write(tmp_path, {
        "vitess/vtgate-service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: vtgate}\n"
                                      "spec: {selector: {app: vtgate}, ports: [{port: 80}]}\n",
        "vitess/vtgate-controller-template.yaml": "apiVersion: v1\nkind: ReplicationController\n"
                                                  "metadata: {name: vtgate}\nspec:\n  replicas: {{replicas}}\n",
        "other/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                              "spec: {selector: {app: web}, ports: [{port: 80}]}\n",
    })
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["policy", ".", "--output", "json", "--fail-on", "never"])
    found = {(f["resource"], f["severity"]) for f in json.loads(result.output)["findings"]
             if f["rule"] == "service-selector"}
    assert found == {("Service/vtgate", "info"), ("Service/web", "error")}
