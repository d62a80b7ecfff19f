"""`gitops validate` runs the API-server checks in the same pass as the schema check."""
from __future__ import annotations

from tests.conftest import run_cli

BAD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Never
      containers:
      - name: web
        image: web:1
        imagePullPolicy: Sometimes
        ports: [{containerPort: 70000}]
---
apiVersion: v1
kind: Secret
metadata: {name: s}
data: {token: "not base64!"}
"""


def test_schema_valid_but_rejected_by_the_api_server(tmp_path):
    (tmp_path / "bad.yaml").write_text(BAD)
    result = run_cli(["validate", "-o", "json", str(tmp_path)], tmp_path)
    assert result.exit_code == 1
    for rule in ("api-restart-policy", "api-enum-image-pull-policy", "api-port-range", "api-secret-base64"):
        assert f'"{rule}"' in result.output, rule
    (tmp_path / "bad.yaml").write_text(BAD.replace("Never", "Always").replace("Sometimes", "IfNotPresent")
                                       .replace("70000", "8080").replace('"not base64!"', "dG9rZW4="))
    assert run_cli(["validate", str(tmp_path)], tmp_path).exit_code == 0


def test_api_server_checks_are_listed_explained_and_documented(tmp_path):
    from gitops.apiserver import catalog
    from tests.conftest import REPO

    listed = run_cli(["rules"], tmp_path).output
    docs = (REPO / "docs/rules.md").read_text()
    for check in catalog():
        assert f"\n{check['id']} " in "\n" + listed, check["id"]
        assert f"| {check['id']} |" in docs, check["id"]
    explained = run_cli(["explain", "api-port-range"], tmp_path)
    assert explained.exit_code == 0 and "The API server says: Invalid value" in explained.output
