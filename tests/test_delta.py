"""The policy delta: new, fixed and existing findings, matched without line numbers."""
from __future__ import annotations

from gitops.review.delta import delta
from gitops.findings import Finding
from gitops.manifests.resource import Origin


def finding(rule="no-latest", resource="Deployment/web-dev/web", path="spec.template.spec.containers[0].image",
            line=10, env="dev", severity="error", message="uses latest"):
    return Finding(rule=rule, severity=severity, message=message, resource=resource, path=path, line=line,
                   origin=Origin(file="generated/dev/web/deployment-web.yaml", line=3, env=env, app="web",
                                 spec_file="apps/web.py", spec_line=4))


def test_new_fixed_and_existing():
    kept, gone, added = finding(rule="kept"), finding(rule="gone"), finding(rule="added")
    result = delta([kept, gone], [kept, added])
    assert [f.rule for f in result.new] == ["added"]
    assert [f.rule for f in result.fixed] == ["gone"]
    assert [f.rule for f in result.existing] == ["kept"]


def test_a_moved_line_or_reworded_message_is_still_the_same_finding():
    result = delta([finding(line=10, message="old words")], [finding(line=42, message="new words")])
    assert not result.new and not result.fixed and len(result.existing) == 1


def test_the_same_finding_in_another_environment_is_new():
    result = delta([finding(env="dev")], [finding(env="dev"), finding(env="prod")])
    assert [f.origin.env for f in result.new] == ["prod"]


def test_duplicates_are_counted():
    result = delta([finding()], [finding(), finding()])
    assert len(result.new) == 1 and len(result.existing) == 1


def test_a_renamed_resource_keeps_its_findings():
    before = finding(resource="Deployment/web-dev/web")
    after = finding(resource="Deployment/web-dev/www")
    assert len(delta([before], [after]).new) == 1
    result = delta([before], [after], renamed={"Deployment/web-dev/www": "Deployment/web-dev/web"})
    assert not result.new and not result.fixed


def test_only_unwaived_new_findings_at_the_threshold_fail():
    warning = finding(rule="w", severity="warning")
    waived = finding(rule="x").waive("accepted until the migration")
    error = finding(rule="e")
    result = delta([], [warning, waived, error])
    assert [f.rule for f in result.failing_new()] == ["e"]
    assert [f.rule for f in result.failing_new("warning")] == ["e", "w"]
    assert delta([error], [error]).failing_new() == []


def test_list_indices_follow_the_named_item():
    def obj(env_names):
        return {"spec": {"template": {"spec": {"containers": [
            {"name": "web", "env": [{"name": n, "value": "x"} for n in env_names]}]}}}}

    before = finding(path="spec.template.spec.containers[0].env[1].value")  # B
    after = finding(path="spec.template.spec.containers[0].env[2].value")  # B, after A_NEW was added
    key = ("dev", "Deployment/web-dev/web")
    assert len(delta([before], [after]).new) == 1  # by raw index they differ
    result = delta([before], [after], base_objects={key: obj(["A", "B"])}, head_objects={key: obj(["A", "A_NEW", "B"])})
    assert not result.new and not result.fixed


def test_stable_path_keeps_what_it_cannot_follow():
    from gitops.review.delta import stable_path
    obj = {"spec": {"ports": [{"port": 80}], "containers": [{"name": "a"}, {"name": "a"}]},
           "metadata": {"labels": {"x.y/z": "1"}}}
    assert stable_path("spec.ports[0].port", obj) == "spec.ports[0].port"  # unnamed items
    assert stable_path("spec.containers[1].image", obj) == "spec.containers[1].image"  # names not unique
    assert stable_path('metadata.labels["x.y/z"]', obj) == 'metadata.labels["x.y/z"]'
    assert stable_path("spec.missing[3].x", obj) == "spec.missing[3].x"
