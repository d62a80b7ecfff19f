"""The engine: enablement, severity per environment, options, and the two waiver channels."""
import datetime as dt

import pytest

from gitops.errors import InputError
from gitops.policy.config import from_text
from gitops.policy.engine import Engine, run
from gitops.policy.registry import all_rules
from gitops.policy.waivers import parse_waivers

from .helpers import resources

TODAY = dt.date(2026, 11, 27)

# One Deployment that breaks image-tag (latest) and nothing else the tests look at.
DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: api-prod
  annotations: {%s}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "ghcr.io/acme/api:latest"}]
"""


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def policy(text="", waivers=""):
    cfg = from_text(text)
    if waivers:
        from dataclasses import replace
        cfg = replace(cfg, waivers=tuple(parse_waivers(waivers, "policies/waivers.yaml", all_rules(), ("dev", "prod"))))
    return cfg


def test_severity_follows_the_environment():
    cfg = policy("rules: {image-tag: warning}\nenvironments: {prod: {rules: {image-tag: error}}}")
    objs = resources(DEPLOYMENT % "")
    assert only(run(objs, cfg, env="dev"), "image-tag")[0].severity == "warning"
    assert only(run(objs, cfg, env="prod", production=True), "image-tag")[0].severity == "error"


def test_disabled_rule_does_not_run():
    assert only(run(resources(DEPLOYMENT % ""), policy("rules: {image-tag: false}")), "image-tag") == []


def test_annotation_waiver_keeps_the_finding_marked():
    found = only(run(resources(DEPLOYMENT % '"gitops.dev/waive.image-tag": "demo image, rebuilt hourly"'), policy()),
                 "image-tag")
    assert found and all(f.waived and f.waiver_reason == "demo image, rebuilt hourly" for f in found)


def test_annotation_without_reason_is_refused():
    found = run(resources(DEPLOYMENT % '"gitops.dev/waive.image-tag": ""'), policy())
    assert not only(found, "image-tag")[0].waived
    invalid = only(found, "waiver-invalid")
    assert invalid[0].severity == "error" and "no reason" in invalid[0].message


def test_annotation_channel_can_be_switched_off():
    cfg = policy("waivers: {annotations: false}")
    found = run(resources(DEPLOYMENT % '"gitops.dev/waive.image-tag": "because"'), cfg)
    assert not only(found, "image-tag")[0].waived and not only(found, "waiver-invalid")


def test_unused_and_unknown_annotations_are_reported():
    found = run(resources(DEPLOYMENT % '"gitops.dev/waive.host-path": "x", "gitops.dev/waive.nope": "y"'), policy())
    assert [f.message for f in only(found, "waiver-unused")] == ["waiver annotation for host-path waives nothing "
                                                                 "here; remove it"]
    unknown = only(found, "waiver-unknown-rule")
    assert "unknown rule 'nope'" in unknown[0].message and unknown[0].severity == "warning"


WAIVER = """
waivers:
  - rule: image-tag
    match: {env: prod, kind: Deployment, name: "ap*"}
    reason: vendor image without tags until 2027
    owner: team-storefront
    expires: %s
"""


def test_file_waiver_waives_matching_findings_with_expiry():
    cfg = policy(waivers=WAIVER % "2027-01-31")
    found = run(resources(DEPLOYMENT % ""), cfg, env="prod", production=True, today=TODAY)
    tag = only(found, "image-tag")
    assert tag and all(f.waived and f.waiver_expiry == "2027-01-31" for f in tag)
    assert not only(found, "waiver-unused")


def test_file_waiver_selector_by_environment():
    cfg = policy(waivers=WAIVER % "2027-01-31")
    assert not any(f.waived for f in run(resources(DEPLOYMENT % ""), cfg, env="dev", today=TODAY))


def test_expired_waiver_stops_waiving_and_is_reported():
    cfg = policy(waivers=WAIVER % "2026-11-01")
    found = run(resources(DEPLOYMENT % ""), cfg, env="prod", production=True, today=TODAY)
    assert not any(f.waived for f in only(found, "image-tag"))
    expired = only(found, "waiver-expired")
    assert expired[0].file == "policies/waivers.yaml" and expired[0].where_line == 3
    assert "expired on 2026-11-01" in expired[0].message


def test_unused_waiver_is_a_warning_across_environments():
    engine = Engine(policy(waivers=WAIVER % "2027-01-31"), today=TODAY)
    clean = DEPLOYMENT.replace(":latest", ":1.0")
    engine.run(resources(clean % ""), env="dev")
    engine.run(resources(clean % ""), env="prod", production=True)
    unused = only(engine.finish(), "waiver-unused")
    assert len(unused) == 1 and unused[0].severity == "warning"


def test_waiver_for_an_environment_not_run_is_not_called_unused():
    engine = Engine(policy(waivers=WAIVER % "2027-01-31"), today=TODAY)
    engine.run(resources(DEPLOYMENT % ""), env="dev")
    assert engine.finish() == []


@pytest.mark.parametrize("entry,message", [
    ("- {rule: image-tag, owner: a, expires: 2027-01-01}", "has no reason"),
    ("- {rule: image-tag, reason: '  ', owner: a, expires: 2027-01-01}", "has no reason"),
    ("- {rule: image-tag, reason: r, expires: 2027-01-01}", "has no owner"),
    ("- {rule: image-tag, reason: r, owner: a}", "expires: expected a date"),
    ("- {rule: imagetag, reason: r, owner: a, expires: 2027-01-01}", "unknown rule 'imagetag'"),
    ("- {rule: image-tag, reason: r, owner: a, expires: 2027-01-01, match: {env: staging}}", "names no environment"),
    ("- {rule: image-tag, reason: r, owner: a, expires: 2027-01-01, match: {team: x}}", "match: team"),
])
def test_bad_waivers_are_input_errors(entry, message):
    with pytest.raises(InputError) as err:
        parse_waivers(f"waivers:\n{entry}\n", "policies/waivers.yaml", all_rules(), ("dev", "prod"))
    assert message in str(err.value) and err.value.problems[0].line == 2


def test_a_rule_that_trips_on_an_odd_shape_reports_instead_of_crashing():
    import types

    from gitops.policy.registry import build

    fragile = types.ModuleType("gitops.policy.rules.odd.fragile")
    fragile.ID, fragile.TITLE, fragile.__doc__ = "fragile", "assumes too much", "Doc."
    fragile.SEVERITY, fragile.REMEDIATION = "error", "expect odd shapes"
    fragile.check = lambda res, ctx: iter([res.obj["spec"]["containers"][0]["name"]])
    cfg = from_text("extends: null", rules=build([fragile]))
    found = run(resources("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n"), cfg)
    assert [(f.rule, f.resource) for f in found] == [("fragile", "Pod/p")]
    assert "could not check: an unexpected shape (KeyError" in found[0].message


def test_kustomization_files_are_not_checked():
    text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n"
    assert run(resources(text), policy()) == []


def test_paths_with_odd_keys_find_their_line(tmp_path):
    from gitops.manifests.reader import format_path, read_paths
    from gitops.manifests.locate import parse_path
    from gitops.policy.lines import with_lines

    parts = ["metadata", "annotations", "gitops.dev/waive.x", "spec", 0, "a-b"]
    assert parse_path(format_path(parts)) == parts
    (tmp_path / "d.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  annotations:\n"
                                     "    gitops.dev/waive.host-path: ''\n")
    objs = read_paths([str(tmp_path)]).resources
    invalid = only(with_lines(run(objs, policy())), "waiver-invalid")
    assert invalid[0].line == 6
