"""Every output format, on one report with valid, invalid, error, skipped and waived entries."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from gitops.errors import InputError
from gitops.findings import Finding, Found, Report
from gitops.manifests.resource import Origin, Resource
from gitops.report import FORMATS, Checked, ValidationReport, parse_outputs, render, summary_line

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
    assert set(FORMATS) == {"text", "json", "junit", "sarif", "tap", "github"}
    with pytest.raises(InputError):
        render("yaml", sample())


def test_summary_line_matches_kubeconform():
    assert summary_line(sample()) == \
        "Summary: 4 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 1, Skipped: 1"
    assert summary_line(ValidationReport(resources=1, files=1, valid=1)).startswith("Summary: 1 resource found in 1 file ")


def test_text_groups_by_file_with_lines_paths_and_hints():
    out = render("text", sample())
    lines = out.splitlines()
    assert lines[0] == "gen/broken.yaml" and "gen/deploy.yaml" in lines
    assert any(line.strip().startswith("12:") and 'containerPort: expected integer, got string "http"' in line for line in lines)
    assert "waived: tracked in TICKET-1" in out
    assert lines[-1].startswith("Summary: 4 resources")


def test_json_has_a_stable_documented_shape():
    data = json.loads(render("json", sample()))
    assert data["version"] == 1
    assert data["summary"] == {"resources": 4, "files": 2, "valid": 1, "invalid": 1, "errors": 1, "skipped": 1,
                               "error_findings": 2, "warning_findings": 1, "info_findings": 0, "waived_findings": 1}
    first = data["findings"][0]
    assert set(first) == {"rule", "severity", "message", "hint", "file", "line", "docIndex", "resource", "path",
                          "app", "env", "specFile", "specLine", "waived", "waiverReason", "waiverExpiry"}
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
    assert typed["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "gen/deploy.yaml"},
                                                         "region": {"startLine": 12}}
    assert rule_ids[typed["ruleIndex"]] == "schema-type"
    waived = next(r for r in results if r["ruleId"] == "schema-unknown-field")
    assert waived["suppressions"] == [{"kind": "external", "justification": "tracked in TICKET-1"}]


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
    assert parse_outputs(()) == [("text", None)]
    assert parse_outputs(("json=out/r.json", "text")) == [("json", "out/r.json"), ("text", None)]
    for bad in (("yaml",), ("json=",), ("text", "json")):
        with pytest.raises(InputError):
            parse_outputs(bad)
