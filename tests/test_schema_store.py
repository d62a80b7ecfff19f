"""Schema store: versions, bundled schemas read offline, kubeconform-style locations, deprecated APIs."""
from __future__ import annotations

import json

import pytest

from gitops.errors import InputError
from gitops.findings import Finding, Found
from gitops.manifests.resource import Origin, Resource
from gitops.schema.builtin import supported_versions
from gitops.schema.validator import DEFAULT_EXTRA_CHECKS
from gitops.schema.builtin import file_name
from gitops.schema.locations import check_location, expand, variables
from gitops.schema.validator import Options, Validator

WIDGET_SCHEMA = {"type": "object", "required": ["spec"], "properties": {
    "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
    "spec": {"type": "object", "properties": {"size": {"type": "integer"}}, "additionalProperties": False}}}


def res(obj: dict) -> Resource:
    return Resource(obj, Origin())


def test_supported_versions_cover_1_25_to_1_37_and_unknown_is_an_input_error():
    versions = supported_versions()
    assert versions[0] == "1.25" and versions[-1] == "1.37" and len(versions) == 13
    with pytest.raises(InputError) as err:
        Validator(Options("1.24"))
    assert "1.25" in str(err.value) and "1.37" in str(err.value)
    assert Validator(Options("v1.30.2")).kubernetes_version == "1.30"


def test_file_names_follow_the_kubeconform_layout():
    assert file_name("apps/v1", "Deployment") == "deployment-apps-v1.json"
    assert file_name("v1", "ConfigMap") == "configmap-v1.json"
    assert file_name("rbac.authorization.k8s.io/v1", "Role") == "role-rbac-v1.json"


def test_a_custom_group_never_matches_a_builtin_schema_of_the_same_short_name():
    validator = Validator(Options("1.33"))
    lookalike = {"apiVersion": "apps.example.com/v1", "kind": "Deployment", "metadata": {"name": "x"}}
    assert validator.validate(res(lookalike)).status == "error"


def test_kubeconform_template_variables():
    values = variables("rbac.authorization.k8s.io/v1", "Role", "1.33", True)
    assert expand("s/{{ .Group }}/{{.ResourceKind}}_{{ .ResourceAPIVersion }}.json", values) == \
        "s/rbac.authorization.k8s.io/role_v1.json"
    assert expand("{{ .NormalizedKubernetesVersion }}{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json",
                  values) == "v1.33.0-strict/role-rbac-v1.json"
    assert check_location("catalog").endswith("{{ .ResourceKind }}{{ .KindSuffix }}.json")
    for bad in ("https://example.com/{{ .ResourceKind }}.json", "x/{{ .Nope }}.json"):
        with pytest.raises(InputError):
            check_location(bad)


def test_schema_location_template_finds_a_catalog_schema(tmp_path):
    folder = tmp_path / "catalog" / "widgets.example.com"
    folder.mkdir(parents=True)
    (folder / "widget_v1.json").write_text(json.dumps(WIDGET_SCHEMA))
    location = str(tmp_path / "catalog" / "{{ .Group }}" / "{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")
    validator = Validator(Options("1.33", locations=(location,)))
    good = {"apiVersion": "widgets.example.com/v1", "kind": "Widget", "spec": {"size": 3}}
    bad = {"apiVersion": "widgets.example.com/v1", "kind": "Widget", "spec": {"size": "big"}}
    assert validator.validate(res(good)).status == "valid"
    assert [f.path for f in validator.validate(res(bad)).findings] == ["spec.size"]
    # built-in kinds still come from the bundled schemas
    assert validator.validate(res({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})).status == "valid"


def test_removed_api_is_an_error_naming_version_and_replacement():
    validator = Validator(Options("1.33"))
    outcome = validator.validate(res({"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "c"}}))
    [finding] = outcome.findings
    assert (outcome.status, finding.rule, finding.severity) == ("invalid", "api-removed", "error")
    assert "removed in Kubernetes 1.25" in finding.message and "batch/v1" in finding.message


def test_deprecated_api_is_a_warning_and_still_validated():
    validator = Validator(Options("1.33"))
    endpoints = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "e"}}
    outcome = validator.validate(res(endpoints))
    assert outcome.status == "valid"
    assert [(f.rule, f.severity) for f in outcome.findings] == [("api-deprecated", "warning")]
    assert Validator(Options("1.32")).validate(res(endpoints)).findings == []  # not yet deprecated in 1.32


def test_skip_and_ignore_missing_schemas():
    unknown = res({"apiVersion": "example.com/v1", "kind": "Thing"})
    assert Validator(Options("1.33", ignore_missing_schemas=True)).validate(unknown).status == "skipped"
    assert Validator(Options("1.33", skip_kinds=frozenset({"Thing"}))).validate(unknown).status == "skipped"
    assert Validator(Options("1.33", skip_kinds=frozenset({"example.com/v1/Thing"}))).validate(unknown).status \
        == "skipped"
    assert Validator(Options("1.33")).validate(unknown).status == "error"


def test_extra_checks_run_after_a_passing_schema_check():
    calls = []

    def probe(resource, version):
        calls.append((resource.kind, version))
        if resource.name == "bad":
            yield Finding.stamp(Found(resource, "extra check says no"), "probe", "error")

    validator = Validator(Options("1.33"), extra_checks=(*DEFAULT_EXTRA_CHECKS, probe))
    ok = validator.validate(res({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ok"}}))
    bad = validator.validate(res({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bad"}}))
    broken = validator.validate(res({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": 1}}))
    assert ok.status == "valid" and bad.status == "invalid" and [f.rule for f in bad.findings] == ["probe"]
    assert broken.status == "invalid" and calls == [("ConfigMap", "1.33"), ("ConfigMap", "1.33")]
