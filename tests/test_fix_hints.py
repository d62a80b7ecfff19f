"""A finding on generated output says which spec line to change and the waiver to write (issue 17 item 4)."""
from __future__ import annotations

from pathlib import Path

from gitops.check.hints import field_line
from tests.conftest import BASIC_CONFIG, make_project, run_cli

SPEC = """\
from gitops import App, Port, Probe, Resources

web = App(
    name="web",
    image="registry.example.com/web:1.0.0",
    ports=[Port(name="http", port=8080)],
    resources=Resources(cpu="100m", memory="128Mi"),
    readiness=Probe.http("/ready"),
    liveness=Probe.http("/healthz", period_seconds=20),
    environments={
        "prod": {"replicas": 1},
    },
)
"""


def test_a_policy_finding_names_the_spec_line_of_the_field_and_the_waiver(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"web.py": SPEC}, BASIC_CONFIG)
    assert run_cli(["synth"], root).exit_code == 0
    result = run_cli(["check"], root)
    assert result.exit_code == 1, result.output
    hints = [line.strip() for line in result.output.splitlines() if line.strip().startswith("hint:")]
    [replicas] = [h for h in hints if "rule: min-replicas" in h]
    # the prod override writes replicas on line 11: that is the line to change for prod
    assert "set `replicas=2` in apps/web.py:11, or waive it in policies/waivers.yaml: " in replicas
    assert "`- {rule: min-replicas, match: {app: web, env: prod}, reason: ..., owner: ..., expires: " in replicas


def test_the_field_line_falls_back_to_the_keyword_then_the_call(tmp_path: Path) -> None:
    spec = tmp_path / "web.py"
    spec.write_text(SPEC)
    assert field_line(str(spec), 3, "replicas", "prod") == 11  # the override for prod
    assert field_line(str(spec), 3, "replicas", "dev") == 3  # not written for dev: the call's line
    assert field_line(str(spec), 3, "resources", "dev") == 7
    assert field_line(str(tmp_path / "gone.py"), 3, "resources", None) == 3
