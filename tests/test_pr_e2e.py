"""A pull request end to end: a real git repository with a base and a head commit, `gitops check --base`.

The change: an image bump (web), a new app (api), a deleted app (worker), a policy violation
introduced (api has no readiness probe), another fixed (web gains resource requests) and one kept
(web still has no readiness probe). legacy has an old violation too, in an app the change does not
touch: with --base it is neither synthesized nor checked (the main-branch gate checks everything).

The findings come from the stages in `gitops.check.stages.FINDING_STAGES`: the real policy engine when
it is part of the package (its default preset: the apps are clean apart from the violations
above), else two stand-in rules with the same meaning. Assertions about findings are by rule id.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from gitops.check import stages as stages_mod
from gitops.findings import Finding, Found
from gitops.policy.api import containers
from gitops.report.markdown import MARKER, size
from tests.conftest import make_project, run_cli, run_gitops

REAL_ENGINE = bool(stages_mod.FINDING_STAGES)
NO_READINESS = "readiness-probe" if REAL_ENGINE else "stand-in-readiness-probe"  # introduced
NO_REQUESTS = "cpu-requests" if REAL_ENGINE else "stand-in-resource-requests"  # fixed


def stand_in_stage(config, resources, base, on_disk=True):
    out = []
    for res in resources:
        for container, path in containers(res):
            if "readinessProbe" not in container:
                out.append(Finding.stamp(Found(res, "no readiness probe", path=path + ".readinessProbe"), NO_READINESS, "error"))
            if "requests" not in (container.get("resources") or {}):
                out.append(Finding.stamp(Found(res, "no resource requests", path=path + ".resources.requests"),
                                         NO_REQUESTS, "error"))
    return out


@pytest.fixture
def stages(monkeypatch):
    if not REAL_ENGINE:
        monkeypatch.setattr(stages_mod, "FINDING_STAGES", [stand_in_stage])


def app(name, image, *, requests=True, readiness=True):
    """A spec that passes the default policies, but for the violations asked for."""
    parts = [f'name="{name}"', f'image="{image}"', 'ports=[Port(name="http", port=8080)]', "replicas=2",
             'liveness=Probe.http("/healthz")']
    if requests:
        parts.append('resources=Resources(cpu="100m", memory="128Mi", memory_limit="128Mi")')
    if readiness:
        parts.append('readiness=Probe.http("/ready")')
    return ("from gitops import App, Port, Probe, Resources\n\n"
            f"{name.replace('-', '_')} = App(\n    " + ",\n    ".join(parts) + ",\n)\n")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def commit(root: Path, message: str) -> None:
    assert run_cli(["synth"], root).exit_code == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path, stages):
    root = make_project(tmp_path / "repo", {
        "web.py": app("web", "registry.example.com/web:1.0.0", requests=False, readiness=False),
        "worker.py": app("worker", "registry.example.com/worker:3.1.0"),
        "legacy.py": app("legacy", "registry.example.com/legacy:0.9.0", readiness=False),
    })
    (root / ".gitignore").write_text(".gitops-cache/\n__pycache__/\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    git(root, "checkout", "-q", "-b", "feature")
    (root / "apps/web.py").write_text(app("web", "registry.example.com/web:1.1.0", readiness=False))
    (root / "apps/api.py").write_text(app("api", "registry.example.com/api:1.0.0", readiness=False))
    (root / "apps/worker.py").unlink()
    commit(root, "head")
    return root


def test_plan_delta_and_exit_codes(repo):
    result = run_cli(["check", "--base", "main"], repo)
    out = result.output
    assert result.exit_code == 1, out  # api's new error fails the plain gate
    assert "generated/ is in sync with the specs" in out
    assert "Compared with main (" in out and "3 changed spec file(s)" in out
    assert "~ update Deployment/web-dev/web  (apps/web.py:3, app web, env dev → " \
           "generated/dev/web/deployment-web.yaml:3)" in out
    assert 'spec.template.spec.containers[name=web].image: "registry.example.com/web:1.0.0" → ' \
           '"registry.example.com/web:1.1.0"' in out
    assert "+ create Deployment/api-prod/api" in out
    assert "- delete Deployment/worker-prod/worker" in out
    assert "legacy" not in out.split("Delta:")[0]  # an untouched app is neither synthesized nor diffed
    assert lines(out, "New", NO_READINESS) == [("api", "dev"), ("api", "prod")]
    assert lines(out, "Fixed", NO_REQUESTS) == [("web", "dev"), ("web", "prod")]
    assert lines(out, "Existing", NO_READINESS) == [("web", "dev"), ("web", "prod")]
    assert not lines(out, "New", NO_REQUESTS) and not lines(out, "Fixed", NO_READINESS)
    if not REAL_ENGINE:
        assert "Delta: 2 new, 2 fixed, 2 existing" in out
    assert result.exit_code == run_cli(["check", "--base", "main", "--fail-on-new"], repo).exit_code == 1

    # Fix the new violation: only web's old one is left, which --fail-on-new lets through.
    (repo / "apps/api.py").write_text(app("api", "registry.example.com/api:1.0.0"))
    assert run_cli(["synth"], repo).exit_code == 0
    strict = run_cli(["check", "--base", "main"], repo)
    assert strict.exit_code == 1
    assert not lines(strict.output, "New", NO_READINESS) and lines(strict.output, "Existing", NO_READINESS)
    assert run_cli(["check", "--base", "main", "--fail-on-new"], repo).exit_code == 0
    assert run_cli(["check"], repo).exit_code == 1  # without a base, every finding counts


def lines(out: str, section: str, rule: str) -> list[tuple[str, str]]:
    """(app, env) of the lines `file:line:col: severity RULE ... [spec:line, app A, env E]` listed under
    `{section} findings (n):`, in order."""
    block = re.search(rf"^{section} findings \(\d+\):\n(.*?)(?:\n\n|\Z)", out, re.M | re.S)
    if block is None:
        return []
    found = re.findall(rf"^\S+: \w+ {re.escape(rule)} .*\[apps/\w+\.py:3, app (\w+), env (\w+)\]$",
                       block.group(1), re.M)
    return [tuple(f) for f in found]


def test_markdown_comment_and_several_outputs_in_one_run(repo, tmp_path):
    comment = tmp_path / "out" / "comment.md"
    plan = tmp_path / "out" / "check.txt"
    result = run_cli(["check", "--base", "main", "--output", "text", "--output", f"markdown={comment}",
                      "--output", f"text={plan}"], repo)
    assert result.exit_code == 1
    assert plan.read_text() == result.output
    text = comment.read_text()
    assert text.startswith(MARKER + "\n## gitops check ❌ failed\n")
    counts = re.search(r"\*\*(\d+) new, (\d+) fixed, (\d+) existing findings\*\*", text).groups()
    if not REAL_ENGINE:
        assert counts == ("2", "2", "2")
    # web's image bump updates its Deployments only (the version label is on workloads alone)
    for row in ("| dev | Deployment | 1 | 1 | 1 | 0 |", "| prod | Namespace | 1 | 0 | 1 | 0 |"):
        assert row in text
    new = text.split(f"### New findings ({counts[0]})")[1].split("### Fixed findings")[0]
    fixed = text.split(f"### Fixed findings ({counts[1]})")[1].split("### Resource diffs")[0]
    api_row = re.search(rf"^\| error \| `{NO_READINESS}` \| `Deployment/api-dev/api` \| `apps/api.py:3` \(app api, "
                        r"env dev\) \| `generated/dev/api/deployment-api.yaml:\d+` \| .+ \|$", new, re.M)
    assert api_row, new
    assert new.count(f"`{NO_READINESS}`") == 2 and fixed.count(f"`{NO_REQUESTS}`") == 2
    assert f"`{NO_REQUESTS}`" not in new and f"`{NO_READINESS}`" not in fixed
    assert "<details><summary>- delete Deployment/worker-dev/worker — apps/worker.py:3, app worker, env dev" in text
    assert size(text) <= 65536


def test_a_long_comment_is_split_or_truncated(repo, tmp_path):
    out = tmp_path / "out"
    comment = out / "comment.md"
    args = ["check", "--base", "main", "--output", f"markdown={comment}", "--comment-limit", "6000"]
    assert run_cli(args, repo).exit_code == 1
    parts = sorted(out.glob("comment-*.md"))
    assert len(parts) > 2 and not comment.exists()
    texts = [p.read_text() for p in parts]
    assert all(size(t) <= 6000 for t in texts)
    # every resource diff once (api's 10 created, worker's 10 deleted, web's 2 Deployments) and the
    # folded counts table
    assert sum(t.count("<details>") for t in texts) == 10 + 10 + 2 + 1
    assert run_cli(args + ["--comment-overflow", "truncate"], repo).exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["comment.md"]  # the parts of the split run are gone
    truncated = comment.read_text()
    assert size(truncated) <= 6000 and "Truncated to stay under GitHub's 6,000-character comment limit" in truncated


def test_drift_fails_the_gate_and_the_diff_command_needs_no_synth(repo):
    (repo / "apps/web.py").write_text(app("web", "registry.example.com/web:1.2.0"))
    result = run_cli(["check", "--base", "main", "--fail-on-new"], repo)
    assert result.exit_code == 1
    assert "changed:  generated/dev/web/deployment-web.yaml" in result.output
    diff = run_cli(["diff", "--base", "main"], repo)
    assert diff.exit_code == 0
    assert '"registry.example.com/web:1.0.0" → "registry.example.com/web:1.2.0"' in diff.output
    comment = run_cli(["diff", "--base", "main", "--output", "markdown"], repo).output
    assert comment.startswith(MARKER + "\n## gitops diff: the plan\n")
    assert "<details><summary>+ create Deployment/api-dev/api — apps/api.py:3, app api, env dev → " \
           "generated/dev/api/deployment-api.yaml:3</summary>" in comment
    head_only = run_cli(["diff", "--base", "main", "--head", "feature", "--output", "json"], repo)
    assert head_only.exit_code == 0 and '"registry.example.com/web:1.1.0"' in head_only.output


def test_real_command_exit_codes_and_no_leftover_worktree(repo):
    proc = run_gitops(["check", "--base", "no-such-branch"], repo)
    assert proc.returncode == 2 and "unknown git ref 'no-such-branch'" in proc.stderr
    proc = run_gitops(["check", "--fail-on-new"], repo)
    assert proc.returncode == 2 and "--fail-on-new needs --base" in proc.stderr
    proc = run_gitops(["diff", "--base", "main"], repo)
    assert proc.returncode == 0
    assert proc.stdout.startswith("Plan: 10 to create, 2 to update, 10 to delete, 0 to rename (8 unchanged).")
    assert git(repo, "worktree", "list").count("\n") == 1


def test_a_hand_edit_in_an_unchanged_apps_folder_is_still_caught(repo):
    edited = repo / "generated/dev/legacy/deployment-legacy.yaml"
    edited.write_text(edited.read_text().replace("legacy:0.9.0", "legacy:6.6.6"))
    result = run_cli(["check", "--base", "main", "--fail-on-new"], repo)
    assert result.exit_code == 1
    assert "changed:  generated/dev/legacy/deployment-legacy.yaml" in result.output
    assert "Compared with main (" in result.output and "every app:" in result.output
