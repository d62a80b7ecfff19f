"""`gitops policy`, `gitops rules`, `gitops explain` and the policies inside `gitops check`."""
import json
import re
import shutil
from pathlib import Path

import pytest

from gitops import config as project_config
from gitops.docs.workloads import EXAMPLES
from gitops.synth.pipeline import synthesize
from gitops.policy import config as policy_config
from gitops.policy.engine import Engine
from gitops.policy.registry import all_rules

from ..conftest import BASIC_CONFIG, gitops_here as run_gitops, make_project, run_cli

GOOD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  labels: {app.kubernetes.io/name: shop}
data: {LOG_LEVEL: info}
"""
WARNS = GOOD.replace("  namespace: shop\n", "")  # namespace-set: a warning
FAILS = GOOD.replace("  labels: {app.kubernetes.io/name: shop}\n", "")  # required-labels: an error


def folder(tmp_path: Path, text: str, policy: str | None = None) -> Path:
    root = tmp_path / "proj"
    (root / "manifests").mkdir(parents=True)
    (root / "gitops.yaml").write_text(BASIC_CONFIG)
    (root / "manifests" / "cm.yaml").write_text(text)
    if policy is not None:
        (root / "policies").mkdir()
        (root / "policies" / "policy.yaml").write_text(policy)
    return root


@pytest.mark.parametrize("text,fail_on,code", [
    (GOOD, "error", 0), (WARNS, "error", 0), (WARNS, "warning", 1), (WARNS, "never", 0),
    (FAILS, "error", 1), (FAILS, "never", 0),
])
def test_exit_code_follows_fail_on(tmp_path, text, fail_on, code):
    result = run_cli(["policy", "manifests", "--fail-on", fail_on], folder(tmp_path, text))
    assert result.exit_code == code, result.output


def test_findings_carry_file_line_rule_and_path(tmp_path):
    result = run_cli(["policy", "manifests", "-o", "json"], folder(tmp_path, FAILS))
    [finding] = json.loads(result.output)["findings"]
    assert {k: finding[k] for k in ("file", "line", "rule", "severity", "resource", "path")} == {
        "file": "manifests/cm.yaml", "line": 3, "rule": "required-labels", "severity": "error",
        "resource": "ConfigMap/shop/settings", "path": "metadata.labels"}
    text = run_cli(["policy", "manifests"], folder(tmp_path / "again", FAILS)).output
    assert "manifests/cm.yaml:3:1: error required-labels ConfigMap/shop/settings metadata.labels: label " \
        "app.kubernetes.io/name is missing" in text.splitlines()


def test_waived_findings_stay_in_json_and_sarif(tmp_path):
    waived = FAILS.replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n"
                           "    gitops.dev/waive.required-labels: shared settings, no single owner\n")
    root = folder(tmp_path, waived)
    result = run_cli(["policy", "manifests", "-o", "json"], root)
    assert result.exit_code == 0
    [finding] = json.loads(result.output)["findings"]
    assert finding["waived"] and finding["waiverReason"] == "shared settings, no single owner"
    sarif = json.loads(run_cli(["policy", "manifests", "-o", "sarif"], root).output)
    [res] = sarif["runs"][0]["results"]
    assert res["suppressions"] == [{"kind": "inSource", "justification": "shared settings, no single owner"}]


def test_unparsable_yaml_is_a_finding_not_a_crash(tmp_path):
    result = run_cli(["policy", "manifests", "-o", "json"], folder(tmp_path, "a: [\n"))
    assert result.exit_code == 1
    assert [f["severity"] for f in json.loads(result.output)["findings"]] == ["error"]


def test_environment_overrides_apply_with_env(tmp_path):
    root = folder(tmp_path, WARNS, policy="environments:\n  prod:\n    rules: {namespace-set: error}\n")
    assert run_cli(["policy", "manifests", "--env", "dev"], root).exit_code == 0
    assert run_cli(["policy", "manifests", "--env", "prod"], root).exit_code == 1


def test_bad_policy_file_exits_2_with_file_and_line(tmp_path):
    root = folder(tmp_path, GOOD, policy="rules:\n  cpu-requests: {options: {minimum: 1}}\n")
    proc = run_gitops(["policy", "manifests"], root)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("policies/policy.yaml:2: cpu-requests: unknown option 'minimum'; "
                                   "options of this rule: max, min")


def test_rules_lists_every_rule(tmp_path):
    output = run_cli(["rules"], tmp_path).output
    assert all(rule_id in output for rule_id in all_rules())


def test_explain_prints_the_documentation(tmp_path):
    result = run_cli(["explain", "pdb-allows-eviction"], tmp_path)
    assert result.exit_code == 0
    assert result.output.startswith("pdb-allows-eviction (health, default severity error)")
    assert "maxUnavailable: 0" in result.output and "Passes:" in result.output


def test_explain_unknown_rule_suggests(tmp_path):
    proc = run_gitops(["explain", "image-tags"], tmp_path)
    assert proc.returncode == 2 and "did you mean image-tag" in proc.stderr


def test_check_runs_policies_per_environment(tmp_path):
    spec = """\
from gitops import App, Port, Probe, Resources

web = App(name="web", image="registry.example.com/web:1.0.0", ports=[Port(name="http", port=8080)],
          resources=Resources(cpu="100m", memory="128Mi"), readiness=Probe.http("/ready"),
          liveness=Probe.http("/healthz"))
"""
    root = make_project(tmp_path / "proj", {"web.py": spec})
    (root / "policies").mkdir()
    (root / "policies" / "policy.yaml").write_text("rules:\n  required-labels: {options: {labels: [team]}}\n")
    assert run_cli(["synth"], root).exit_code == 0
    result = run_cli(["check"], root)
    assert result.exit_code == 1
    found = set(re.findall(r"^(generated/\S+?):\d+(?::\d+)?: (\w+) ([a-z-]+) ", result.output, re.M))
    assert ("generated/dev/web/deployment-web.yaml", "error", "required-labels") in found
    assert ("generated/prod/web/deployment-web.yaml", "error", "required-labels") in found
    # production turns min-replicas on: one replica fails there, not in dev
    assert ("generated/prod/web/deployment-web.yaml", "error", "min-replicas") in found
    assert not any(f[2] == "min-replicas" and "/dev/" in f[0] for f in found)


def test_the_examples_pass_the_policy_set_in_every_environment():
    """The tool's examples (not this repository's apps/, which a team may change) are clean."""
    config = project_config.load(EXAMPLES)
    engine = Engine(policy_config.load(config))
    resources = synthesize(config, use_cache=False).resources()
    findings = []
    for env in config.environments:
        mine = [r for r in resources if r.origin.env == env.name]
        assert mine, f"no resources for {env.name}"
        findings += engine.run(mine, env.name, env.production)
    findings += engine.finish()
    assert [f for f in findings if not f.waived and f.severity in ("error", "warning")] == []


@pytest.fixture(scope="module")
def examples_tree(tmp_path_factory) -> Path:
    """The tool's examples synthesized into a generated/ tree of their own."""
    root = tmp_path_factory.mktemp("examples") / "project"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("__pycache__"))
    assert run_cli(["synth", "--no-cache"], root).exit_code == 0
    return root


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_a_generated_tree_passes_per_environment(env, examples_tree):
    result = run_cli(["policy", f"generated/{env}", "--env", env, "--fail-on", "warning", "-o", "json"], examples_tree)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["summary"]["resources"] > 10


def test_files_under_generated_env_get_that_environments_settings(tmp_path):
    root = folder(tmp_path, GOOD, policy="environments:\n  prod:\n    rules: {namespace-set: error}\n")
    for env in ("dev", "prod"):
        (root / "generated" / env / "shop").mkdir(parents=True)
        (root / "generated" / env / "shop" / "cm.yaml").write_text(WARNS)
    result = run_cli(["policy", "-o", "json"], root)
    severities = {f["file"]: f["severity"] for f in json.loads(result.output)["findings"]}
    assert severities == {"generated/dev/shop/cm.yaml": "warning", "generated/prod/shop/cm.yaml": "error"}
    assert result.exit_code == 1


def test_unknown_environment_is_an_input_error(tmp_path):
    proc = run_gitops(["policy", "manifests", "--env", "staging"], folder(tmp_path, GOOD))
    assert proc.returncode == 2 and "unknown environment 'staging'" in proc.stderr


def test_kubernetes_version_flag_decides_api_rules(tmp_path):
    beta = GOOD.replace("apiVersion: v1\nkind: ConfigMap", "apiVersion: batch/v1beta1\nkind: CronJob")
    root = folder(tmp_path, beta)
    older = run_cli(["policy", "manifests", "-k", "1.24"], root).output
    assert " api-removed " not in older and " api-deprecated " in older
    assert " api-removed " in run_cli(["policy", "manifests", "-k", "1.25"], root).output
    assert run_gitops(["policy", "manifests", "-k", "2"], root).returncode == 2
