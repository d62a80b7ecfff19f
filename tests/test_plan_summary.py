"""The plan's summary in a reviewer's words: per app the image change, restarted pods, deletions,
downtime risk, data at risk and the findings the change adds or fixes."""
from __future__ import annotations

import copy

from gitops.diff import compare, render, summary
from gitops.findings import Finding, Found
from gitops.manifests.resource import Origin, Resource


def obj(kind, name, env="dev", app="web", spec=None, api="apps/v1"):
    body = {"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": f"{app}-{env}"},
            "spec": spec if spec is not None else {}}
    origin = Origin(file=f"generated/{env}/{app}/{kind.lower()}-{name}.yaml", line=3, app=app, env=env,
                    spec_file=f"apps/{app}.py", spec_line=3)
    return Resource(body, origin)


def deployment(image="ghcr.io/acme/web:2.4.1", env="dev", replicas=2, strategy=None, app="web"):
    spec = {"replicas": replicas, "template": {"spec": {"containers": [{"name": "web", "image": image}]}}}
    if strategy:
        spec["strategy"] = strategy
    return obj("Deployment", app, env, app, spec)


def test_an_image_bump_reads_in_a_few_lines():
    before = [deployment(env="dev"), deployment(env="prod")]
    after = [deployment("ghcr.io/acme/web:9.9.9", "dev"), deployment("ghcr.io/acme/web:9.9.9", "prod")]
    text = render.text(compare(before, after), new=[], fixed=[])
    assert text.splitlines()[:5] == [
        "Plan: 0 to create, 2 to update, 0 to delete, 0 to rename (0 unchanged).",
        "web (apps/web.py): image 2.4.1 → 9.9.9 in dev and prod",
        "  pods restarted: Deployment web in dev and prod",
        "  deleted: nothing; downtime risk: none found; data at risk: none",
        "  findings: none added, none fixed",
    ]
    assert "Detail:" in text  # the resource-by-resource plan follows


def test_without_computed_findings_the_summary_claims_none():
    text = render.text(compare([deployment()], [deployment("ghcr.io/acme/web:9.9.9")]))
    assert "findings:" not in text.split("Detail:")[0]


def test_a_registry_move_shows_both_references():
    [s] = summary.summarize(compare([deployment()], [deployment("mirror.example.com/web:2.4.1")]))
    assert summary.headline(s) == "image ghcr.io/acme/web:2.4.1 → mirror.example.com/web:2.4.1 in dev"


def test_deletions_downtime_and_data_at_risk():
    claim = obj("PersistentVolumeClaim", "data", api="v1", spec={"resources": {"requests": {"storage": "10Gi"}}})
    service = obj("Service", "web", api="v1", spec={"selector": {"app": "web"}, "ports": [{"port": 80}]})
    [s] = summary.summarize(compare([deployment(), claim, service], [deployment()]))
    lines = summary.details(s)
    assert lines[1].startswith("deleted: PersistentVolumeClaim data in dev, Service web in dev; "
                               "downtime risk: deletes Service web in dev; data at risk: deletes claim ")
    assert "(10Gi)" in lines[1] and "with its data" in lines[1]


def test_restarts_that_stop_every_pod_are_a_downtime_risk():
    recreate = {"type": "Recreate"}
    plan = compare([deployment(strategy=recreate), deployment(env="prod", replicas=1)],
                   [deployment("ghcr.io/acme/web:3", strategy=recreate),
                    deployment("ghcr.io/acme/web:3", env="prod", replicas=1)])
    [s] = summary.summarize(plan)
    assert s.downtime == ["Deployment web in dev uses Recreate: every pod stops before the new ones start"]
    # one replica with the default maxUnavailable (25%, rounded down to 0) rolls without a gap
    one = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
    [s] = summary.summarize(compare([deployment(replicas=1, strategy=one)],
                                    [deployment("ghcr.io/acme/web:3", replicas=1, strategy=one)]))
    assert s.downtime == ["Deployment web in dev may stop all 1 replica(s) before new ones are ready (maxUnavailable 1)"]
    sts = obj("StatefulSet", "db", spec={"replicas": 1, "template": {"spec": {"containers": [{"name": "db", "image": "db:1"}]}}})
    changed = copy.deepcopy(sts.obj)
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "db:2"
    [s] = summary.summarize(compare([sts], [Resource(changed, sts.origin)]))
    assert s.restarted == {"StatefulSet db": ["dev"]}
    assert s.downtime == ["StatefulSet db in dev runs 1 replica: its pod stops before the new one starts"]


def test_a_service_selector_change_is_a_downtime_risk_and_a_label_change_is_not():
    service = obj("Service", "web", api="v1", spec={"selector": {"app": "web"}, "ports": [{"port": 80}]})
    moved = copy.deepcopy(service.obj)
    moved["spec"]["selector"] = {"app": "web2"}
    [s] = summary.summarize(compare([service], [Resource(moved, service.origin)]))
    assert s.downtime == ["Service web in dev changes selector"] and not s.restarted
    relabelled = copy.deepcopy(service.obj)
    relabelled["metadata"]["labels"] = {"team": "a"}
    [s] = summary.summarize(compare([service], [Resource(relabelled, service.origin)]))
    assert s.downtime == [] and summary.headline(s) == "1 updated (no image change)"


def test_findings_added_and_fixed_are_told_per_app():
    plan = compare([deployment(), deployment(app="api")], [deployment("ghcr.io/acme/web:3"), deployment(app="api")])
    added = [Finding.stamp(Found(deployment(env=env), "m", path="spec.replicas"), "min-replicas", "error")
             for env in ("dev", "prod")]
    fixed = [Finding.stamp(Found(deployment(app="api"), "m", path="spec"), "cpu-requests", "error")]
    by_app = {s.app: s for s in summary.summarize(plan, added, fixed)}
    assert summary.details(by_app["web"])[-1] == "findings: min-replicas in dev and prod added, none fixed"
    assert summary.details(by_app["api"])[-1] == "findings: none added, cpu-requests in dev fixed"
    assert summary.headline(by_app["api"]) == "no object changes"


def test_the_comment_leads_with_the_summary_and_folds_the_detail():
    from gitops.report import markdown
    from tests.test_markdown import a_review

    comment = markdown.comment([], a_review(25))[0]  # the first part of the comment
    summary_at = comment.index("### What this change does")
    assert comment.index("**app0** (`apps/app0.py`): image 1.0 → 2.0 🚀 in dev") > summary_at
    assert "- pods restarted: Deployment app0 in dev" in comment
    assert "… and 5 more apps" in comment  # a fleet-wide change keeps room for the findings
    assert summary_at < comment.index("<details><summary>Changes per environment and kind</summary>") \
        < comment.index("<details><summary>~ update")


def test_a_one_image_bump_in_a_real_repository_reads_in_five_lines(tmp_path):
    """The issue's case end to end: before, the version label on every object made this "9 to update"."""
    import subprocess

    from tests.conftest import WEB_SPEC, make_project, run_cli

    root = make_project(tmp_path / "repo", {"web.py": WEB_SPEC})
    (root / ".gitignore").write_text(".gitops-cache/\n")

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True,
                       capture_output=True)

    assert run_cli(["synth"], root).exit_code == 0
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    (root / "apps" / "web.py").write_text(WEB_SPEC.replace("web:1.0.0", "web:9.9.9"))
    assert run_cli(["synth"], root).exit_code == 0
    result = run_cli(["check", "--base", "main"], root)
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Plan:"))
    assert lines[start:start + 5] == [
        "Plan: 0 to create, 2 to update, 0 to delete, 0 to rename (7 unchanged).",
        "web (apps/web.py): image 1.0.0 → 9.9.9 in dev and prod",
        "  pods restarted: Deployment web in dev and prod",
        "  deleted: nothing; downtime risk: none found; data at risk: none",
        "  findings: none added, none fixed",
    ], result.output
    changed = subprocess.run(["git", "diff", "--name-only"], cwd=root, capture_output=True, text=True).stdout.split()
    assert changed == ["apps/web.py", "generated/dev/web/deployment-web.yaml", "generated/prod/web/deployment-web.yaml"]


def test_the_json_plan_carries_the_summary():
    import json

    data = json.loads(render.as_json(compare([deployment()], [deployment("ghcr.io/acme/web:9.9.9")])))
    assert data["summary"] == [{"app": "web", "specFile": "apps/web.py", "headline": "image 2.4.1 → 9.9.9 in dev",
                                "details": ["pods restarted: Deployment web in dev",
                                            "deleted: nothing; downtime risk: none found; data at risk: none"]}]
