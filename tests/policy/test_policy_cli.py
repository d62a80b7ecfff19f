"""`gitops policy`, `gitops rules`, `gitops explain` and the policies inside `gitops check`."""
from pathlib import Path

import pytest

from gitops import config as project_config
from gitops.pipeline import synthesize
from gitops.policy import config as policy_config
from gitops.policy.engine import Engine
from gitops.policy.registry import all_rules

from ..conftest import BASIC_CONFIG, REPO, make_project, run_cli, run_gitops

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


def test_findings_print_file_line_severity_rule(tmp_path):
    result = run_cli(["policy", "manifests"], folder(tmp_path, FAILS))
    assert "manifests/cm.yaml:1: error required-labels: ConfigMap/shop/settings at metadata.labels: " \
           "label app.kubernetes.io/name is missing" in result.output
    assert "policy: 1 error, 0 warnings, 0 info, 0 waived (1 resources in 1 files)" in result.output


def test_unparsable_yaml_is_a_finding_not_a_crash(tmp_path):
    result = run_cli(["policy", "manifests"], folder(tmp_path, "a: [\n"))
    assert result.exit_code == 1 and "error yaml-syntax" in result.output


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
    assert "generated/dev/web/deployment-web.yaml:3: error required-labels" in result.output
    # production turns min-replicas on: one replica fails there, not in dev
    assert "generated/prod/web/deployment-web.yaml:3: error min-replicas" in result.output
    assert "generated/dev/web/deployment-web.yaml:3: error min-replicas" not in result.output


def test_repository_apps_pass_the_policy_set_in_every_environment():
    config = project_config.load(str(REPO))
    engine = Engine(policy_config.load(config))
    resources = synthesize(config, use_cache=False).resources()
    findings = []
    for env in config.environments:
        mine = [r for r in resources if r.origin.env == env.name]
        assert mine, f"no resources for {env.name}"
        findings += engine.run(mine, env.name, env.production)
    findings += engine.finish()
    assert [f for f in findings if not f.waived and f.severity in ("error", "warning")] == []
