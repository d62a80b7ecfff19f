"""Waivers name what they cover, expire within a horizon, and are called unused only where their
scope was checked; policy options are checked for their type (issue 12)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import BASIC_CONFIG, gitops_here as run_gitops

SOON = (dt.date.today() + dt.timedelta(days=30)).isoformat()
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: %(app)s, namespace: %(app)s-dev, labels: {app.kubernetes.io/name: %(app)s}}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: %(app)s}}
  template:
    metadata: {labels: {app.kubernetes.io/name: %(app)s}}
    spec:
      containers:
      - name: main
        image: registry.example.com/%(app)s:latest
"""


def _project(tmp_path: Path, waivers: str = "", policy: str = "") -> Path:
    root = tmp_path / "p"
    (root / "policies").mkdir(parents=True)
    (root / "gitops.yaml").write_text(BASIC_CONFIG)
    if waivers:
        (root / "policies" / "waivers.yaml").write_text(waivers)
    if policy:
        (root / "policies" / "policy.yaml").write_text(policy)
    for app in ("web", "other"):
        folder = root / "generated" / "dev" / app
        folder.mkdir(parents=True)
        (folder / f"deployment-{app}.yaml").write_text(DEPLOYMENT % {"app": app})
    return root


def _waiver(expires: str = SOON, match: str = "\n    match: {app: other}") -> str:
    return f"waivers:\n  - rule: image-tag{match}\n    reason: vendor image\n    owner: team\n    expires: {expires}\n"


@pytest.mark.parametrize("waivers,expected", [
    (_waiver(match=""), "policies/waivers.yaml:2: waiver for image-tag has no match"),
    (_waiver(match="\n    match: {}"), "policies/waivers.yaml:3: waiver for image-tag has no match"),
    (_waiver(expires="2099-01-01"), "policies/waivers.yaml:6: waiver for image-tag: expires: 2099-01-01 is more "
                                    "than 366 days ahead"),
    (_waiver(expires="2027-02-30"), "policies/waivers.yaml:6: cannot read the value '2027-02-30': day is out of "
                                    "range for month"),
    (_waiver(expires="'2027-02-30'"), "policies/waivers.yaml:6: waiver for image-tag: expires: got '2027-02-30'; "
                                      "expected a date"),
])
def test_bad_waivers_are_input_errors_at_their_line(tmp_path: Path, waivers: str, expected: str) -> None:
    result = run_gitops(["policy"], _project(tmp_path, waivers))
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith(expected), result.stderr


def test_the_expiry_horizon_is_configurable(tmp_path: Path) -> None:
    far = (dt.date.today() + dt.timedelta(days=700)).isoformat()
    root = _project(tmp_path, _waiver(expires=far), policy="waivers: {maxDays: 800}\n")
    result = run_gitops(["policy"], root)
    assert result.returncode == 1, result.stderr  # findings, but the waivers file was accepted
    assert "waiver-unused" not in result.stdout and "(waived: vendor image" in result.stdout, result.stdout
    bad = run_gitops(["policy"], _project(tmp_path / "b", policy="waivers: {maxDays: forever}\n"))
    assert bad.returncode == 2 and bad.stderr.startswith("policies/policy.yaml:1: waivers: maxDays: got 'forever'")


def test_a_policy_option_of_the_wrong_type_is_an_input_error_at_its_line(tmp_path: Path) -> None:
    root = _project(tmp_path, policy="rules:\n  cpu-requests:\n    options:\n      max: 4 cores\n")
    result = run_gitops(["policy"], root)
    assert result.returncode == 2
    assert result.stderr.startswith("policies/policy.yaml:4: cpu-requests: option max: got '4 cores'; expected a "
                                    "Kubernetes quantity"), result.stderr


def test_a_partial_run_calls_unused_only_the_waivers_whose_scope_it_checked(tmp_path: Path) -> None:
    waivers = _waiver() + ("  - rule: image-tag\n    match: {app: web, kind: StatefulSet}\n    reason: none yet\n"
                           f"    owner: team\n    expires: {SOON}\n")
    root = _project(tmp_path, waivers)
    partial = run_gitops(["policy", "generated/dev/web"], root)
    assert "waiver-unused" not in partial.stdout, partial.stdout  # neither waiver's scope was checked
    other = run_gitops(["policy", "generated/dev/other"], root)
    assert "waiver-unused" not in other.stdout  # the first waiver is used; the second is about web
    full = run_gitops(["policy"], root)
    unused = [line for line in full.stdout.splitlines() if "waiver-unused" in line]
    assert len(unused) == 1 and unused[0].split()[0] == "policies/waivers.yaml:7:", full.stdout


def test_the_pre_commit_check_does_not_call_waivers_of_unchecked_apps_unused(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import WEB_SPEC, make_project

    other = WEB_SPEC.replace('name="web"', 'name="other"').replace("web =", "other =")
    root = make_project(tmp_path / "r", {"web.py": WEB_SPEC, "other.py": other})
    (root / "policies").mkdir()
    (root / "policies" / "waivers.yaml").write_text(_waiver())  # about other; it waives nothing
    assert run_gitops(["synth"], root).returncode == 0
    full = run_gitops(["check"], root)
    assert "waiver-unused" in full.stdout, full.stdout  # the full gate checked other: the waiver is stale
    (root / ".gitignore").write_text(".gitops-cache/\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True)
    (root / "apps" / "web.py").write_text(WEB_SPEC.replace("1.0.0", "1.0.1"))
    assert run_gitops(["synth"], root).returncode == 0
    hook = run_gitops(["check", "--base", "HEAD"], root)  # what the pre-commit hook runs
    assert "1 changed spec file(s)" in hook.stdout, hook.stdout
    assert "waiver-unused" not in hook.stdout, hook.stdout


HUGE_SPEC = """\
from gitops import App, Port, Probe, Resources

web = App(
    name="web",
    image="registry.example.com/web:1.0.0",
    ports=[Port(name="http", port=8080)],
    resources=Resources(cpu="100m", memory="9000Gi"),
    readiness=Probe.http("/ready"),
    liveness=Probe.http("/healthz"),
)
"""


def test_one_waiver_file_gives_the_same_verdict_in_check_policy_and_validate(tmp_path: Path) -> None:
    """A policy id, an admission id and a severity per environment: the same files, the same verdict
    whichever command reads them (issue 17 item 5)."""
    from tests.conftest import make_project

    root = make_project(tmp_path / "p", {"web.py": HUGE_SPEC}, 'kubernetesVersion: "1.33"\nenvironments:\n'
                        '  dev: {cluster: gke}\n')
    (root / "policies").mkdir()
    (root / "policies" / "policy.yaml").write_text("rules:\n  required-labels: {options: {labels: [team]}}\n")
    assert run_gitops(["synth"], root).returncode == 0
    fails = {cmd: run_gitops([cmd], root) for cmd in ("check", "policy", "validate")}
    assert {cmd: r.returncode for cmd, r in fails.items()} == {"check": 1, "policy": 1, "validate": 1}
    assert "scheduling-no-fit" in fails["check"].stdout and "scheduling-no-fit" in fails["validate"].stdout
    (root / "policies" / "waivers.yaml").write_text(
        f"waivers:\n"
        f"  - {{rule: required-labels, match: {{app: web}}, reason: labels from the platform, owner: t, expires: {SOON}}}\n"
        f"  - {{rule: scheduling-no-fit, match: {{app: web, env: dev}}, reason: a pool on order, owner: t, "
        f"expires: {SOON}}}\n")
    passes = {cmd: run_gitops([cmd], root) for cmd in ("check", "policy", "validate")}
    assert {cmd: r.returncode for cmd, r in passes.items()} == {"check": 0, "policy": 0, "validate": 0}, passes
    for result in passes.values():
        assert "waiver-unused" not in result.stdout, result.stdout  # each judges only the ids it checks
    # a severity per environment: the same in check and validate
    (root / "policies" / "waivers.yaml").unlink()
    (root / "policies" / "policy.yaml").write_text("environments:\n  dev: {rules: {scheduling-no-fit: warning}}\n")
    lowered = {cmd: run_gitops([cmd, "--fail-on", "error"], root) for cmd in ("check", "validate")}
    assert {cmd: r.returncode for cmd, r in lowered.items()} == {"check": 0, "validate": 0}
    assert all("warning scheduling-no-fit" in r.stdout for r in lowered.values()), lowered


def test_a_waiver_annotation_in_the_spec_reaches_every_object_of_the_app_in_every_command(tmp_path: Path) -> None:
    from tests.conftest import make_project

    spec = HUGE_SPEC.replace(
        '    liveness=Probe.http("/healthz"),\n',
        '    liveness=Probe.http("/healthz"),\n'
        '    annotations={"gitops.dev/waive.required-labels": "labels come from the platform",\n'
        '                 "gitops.dev/waive.scheduling-no-fit": "a pool on order"},\n')
    root = make_project(tmp_path / "p", {"web.py": spec}, 'kubernetesVersion: "1.33"\nenvironments:\n'
                        '  dev: {cluster: gke}\n')
    (root / "policies").mkdir()
    (root / "policies" / "policy.yaml").write_text("rules:\n  required-labels: {options: {labels: [team]}}\n")
    assert run_gitops(["synth"], root).returncode == 0
    results = {cmd: run_gitops([cmd, "-o", "json"], root) for cmd in ("check", "policy", "validate")}
    assert {cmd: r.returncode for cmd, r in results.items()} == {"check": 0, "policy": 0, "validate": 0}, results
    import json

    waived = {cmd: sorted({(f["rule"], f["resource"].split("/")[0]) for f in json.loads(r.stdout)["findings"]
                           if f["waived"]}) for cmd, r in results.items()}
    labels = [("required-labels", kind) for kind in ("Deployment", "Namespace", "Service", "ServiceAccount")]
    assert waived["policy"] == labels  # the Namespace, Service and ServiceAccount through their app's workload
    assert waived["validate"] == [("scheduling-no-fit", "Deployment")]
    assert waived["check"] == sorted(labels + [("scheduling-no-fit", "Deployment")])
