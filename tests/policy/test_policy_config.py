"""Policy configuration: presets, per-rule and per-environment settings, and errors with file:line."""
import json
from pathlib import Path

import pytest

from gitops import config as project_config
from gitops.errors import InputError
from gitops.policy import config as policy_config
from gitops.policy.config import from_text

from ..conftest import BASIC_CONFIG


def test_no_policy_file_means_recommended():
    settings = from_text("").settings("dev")
    assert settings["cpu-requests"].enabled and not settings["network-policy"].enabled


def test_production_block_and_environment_override():
    policy = from_text("""
rules:
  liveness-probe: info
production:
  rules:
    image-digest: error
environments:
  dev:
    rules:
      pod-spread: false
""")
    dev, prod = policy.settings("dev", production=False), policy.settings("prod", production=True)
    assert dev["liveness-probe"].severity == "info"
    assert prod["liveness-probe"].severity == "error"  # recommended's production block applies after
    assert not dev["image-digest"].enabled and prod["image-digest"].enabled
    assert not dev["pod-spread"].enabled and prod["pod-spread"].enabled
    assert prod["min-replicas"].enabled and not dev["min-replicas"].enabled  # from the preset


def test_options_merge_over_defaults_per_environment():
    policy = from_text("""
rules:
  cpu-requests: {options: {min: 50m}}
environments:
  prod: {rules: {cpu-requests: {options: {max: "4"}}}}
""")
    assert policy.settings("dev")["cpu-requests"].options == {"min": "50m", "max": None}
    assert policy.settings("prod", True)["cpu-requests"].options == {"min": "50m", "max": "4"}


def test_strict_preset_is_stricter():
    strict = from_text("extends: strict").settings("prod", production=True)
    recommended = from_text("extends: recommended").settings("prod", production=True)
    assert strict["image-digest"].enabled and not recommended["image-digest"].enabled
    assert strict["probes-differ"].severity == "error" and recommended["probes-differ"].severity == "warning"


_RANK = {"info": 0, "warning": 1, "error": 2}


@pytest.mark.parametrize("production", [False, True])
def test_strict_is_never_weaker_than_recommended_for_any_rule(production):
    """Every rule on in `recommended` is on in `strict`, at the same severity or higher."""
    strict = from_text("extends: strict").settings("prod", production=production)
    recommended = from_text("extends: recommended").settings("prod", production=production)
    weaker = [f"{rule}: {s.severity if s.enabled else 'off'} < {recommended[rule].severity}"
              for rule, s in strict.items() if recommended[rule].enabled
              and (not s.enabled or _RANK[s.severity] < _RANK[recommended[rule].severity])]
    assert weaker == []


@pytest.mark.parametrize("text,line,message", [
    ("rules:\n  no-such-rule: true\n", 2, "unknown rule 'no-such-rule'"),
    ("rules:\n  cpu-requests:\n    options:\n      maximum: 1\n", 4, "unknown option 'maximum'"),
    ("rules:\n  min-replicas:\n    options: {min: two}\n", 3, "expected a int"),
    ("rules:\n  cpu-requests: fatal\n", 2, "expected true, false, a severity"),
    ("rules:\n  cpu-requests: {severity: high}\n", 2, "severity: got 'high'"),
    ("\nextends: lenient\n", 2, "unknown preset 'lenient'"),
    ("environments:\n  staging: {rules: {}}\n", 2, "unknown environment 'staging'"),
    ("rule:\n  cpu-requests: true\n", 1, "rule: unknown key"),
    ("waivers: {annotation: false}\n", 1, "waivers: expected"),
])
def test_errors_name_file_and_line(text, line, message):
    with pytest.raises(InputError) as err:
        from_text(text, name="policies/policy.yaml")
    problem = err.value.problems[0]
    assert (problem.file, problem.line) == ("policies/policy.yaml", line)
    assert message in problem.message


def test_project_policies_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gitops.yaml").write_text(BASIC_CONFIG)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "policy.yaml").write_text("extends: strict\nwaivers: {file: false}\n")
    (tmp_path / "policies" / "waivers.yaml").write_text("waivers: [{rule: nonsense}]\n")  # ignored: channel off
    policy = policy_config.load(project_config.load(str(tmp_path)))
    assert policy.settings("dev")["network-policy"].enabled and policy.file_waivers is False
    assert policy.waivers == ()


def test_list_options_take_strings_only():
    with pytest.raises(InputError, match=r"required-labels: option labels: got \[5, None\]; expected a list of strings") as info:
        from_text("rules:\n  required-labels:\n    options:\n      labels: [5, null]\n")
    assert info.value.problems[0].line == 4


def test_every_id_of_the_catalog_takes_a_severity_per_environment(tmp_path):
    """Not only policy rules: a schema, manifest or sync id can be given another severity or be
    switched off, per environment, and an id nobody knows is still refused at its line."""
    from gitops.findings import Finding, Found
    from gitops.manifests.resource import Origin, Resource
    from gitops.policy.engine import Engine

    config = from_text("rules:\n  schema-unknown-field: warning\nenvironments:\n"
                       "  prod: {rules: {schema-unknown-field: error, sync-never-healthy: false}}\n")

    def found(rule: str, env: str) -> Finding:
        res = Resource({"kind": "Pod", "metadata": {"name": "p"}}, Origin(file="p.yaml", line=1, env=env))
        return Finding.stamp(Found(res, "m"), rule, "error")
    settled = Engine(config).settle([found("schema-unknown-field", "dev"), found("schema-unknown-field", "prod"),
                                     found("sync-never-healthy", "dev"), found("sync-never-healthy", "prod")],
                                    {"prod": True})
    assert [(f.rule, f.origin.env, f.severity) for f in settled] == [
        ("schema-unknown-field", "dev", "warning"), ("schema-unknown-field", "prod", "error"),
        ("sync-never-healthy", "dev", "error")]
    with pytest.raises(InputError, match="unknown rule 'schema-typo'"):
        from_text("rules:\n  schema-typo: warning\n")
    with pytest.raises(InputError, match="unknown option 'max'"):
        from_text("rules:\n  schema-type: {options: {max: 1}}\n")


def test_policy_reports_reader_findings_at_the_configured_severity(tmp_path):
    from tests.conftest import BASIC_CONFIG, run_cli

    (tmp_path / "gitops.yaml").write_text(BASIC_CONFIG)
    (tmp_path / "policies").mkdir()
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n, "
                                            "labels: {app.kubernetes.io/name: c}}\ndata:\n  1: one\n")
    quiet = run_cli(["policy", "m", "-o", "json"], tmp_path)
    assert [(f["rule"], f["severity"]) for f in json.loads(quiet.output)["findings"]] == \
        [("manifest-key-not-string", "warning")] and quiet.exit_code == 0
    (tmp_path / "policies" / "policy.yaml").write_text("rules:\n  manifest-key-not-string: error\n")
    strict = run_cli(["policy", "m", "-o", "json"], tmp_path)
    assert [(f["rule"], f["severity"]) for f in json.loads(strict.output)["findings"]] == \
        [("manifest-key-not-string", "error")] and strict.exit_code == 1
