"""API-server checks (gitops.apiserver): every rule fails and passes, valid manifests stay clean,
hostile input never crashes, the docs match the table."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from gitops import apiserver
from gitops.apiserver import RULES, catalog, check, path_parts
from gitops.apiserver.docs import DOC_PATH, render
from gitops.manifests.resource import Origin, Resource

from .apiserver_corpus import DATA, bases, load_docs, mutate, mutation_id

REPO = Path(__file__).resolve().parent.parent
VALID = bases(DATA / "valid")
MUTATIONS = yaml.safe_load((DATA / "mutations.yaml").read_text())
RULE_IDS = {entry["id"] for entry in catalog()}


def _findings(resource: Resource, version: str = "1.33"):
    """The shipped check with its safety nets off: a check that raises, or a message naming a field
    its check did not give, fails the test instead of losing a finding."""
    return check(resource, version, strict=True)


@pytest.mark.parametrize("mutation", [m for m in MUTATIONS if "rule" in m], ids=mutation_id)
def test_rejected_change_is_reported_by_its_rule(mutation):
    found = _findings(mutate(VALID[mutation["base"]], mutation), mutation.get("version", "1.33"))
    assert mutation["rule"] in {f.rule for f in found}, [(f.rule, f.path, f.message) for f in found]
    assert all(f.severity == "error" and f.rule in RULE_IDS for f in found)


@pytest.mark.parametrize("mutation", [m for m in MUTATIONS if "pass" in m], ids=mutation_id)
def test_accepted_edge_gives_no_finding(mutation):
    found = _findings(mutate(VALID[mutation["base"]], mutation), mutation.get("version", "1.33"))
    assert found == [], [(f.rule, f.path, f.message) for f in found]


def test_every_rule_has_a_failing_and_a_passing_case():
    failing = {m["rule"] for m in MUTATIONS if "rule" in m}
    passing = {m["pass"] for m in MUTATIONS if "pass" in m}
    assert RULE_IDS - failing == set()
    assert RULE_IDS - passing == set()
    assert (failing | passing) - RULE_IDS == set(), "the corpus names rules that do not exist"


VALID_FILES = sorted((DATA / "valid").glob("*.yaml")) + sorted((REPO / "generated").rglob("*.yaml"))


@pytest.mark.parametrize("version", ["1.30", "1.33", "1.37"])
def test_valid_corpus_and_generated_manifests_are_clean(version):
    docs = [d for d in load_docs(*VALID_FILES) if d[2].get("kind") != "Kustomization"]
    assert len(docs) > 60
    problems = [(str(p), i, f.rule, f.path, f.message)
                for p, i, doc in docs for f in check(Resource(doc), version)]
    assert problems == []


def test_the_valid_corpus_covers_every_kind_of_the_issue():
    kinds = {key.split("/")[0] for key in VALID}
    assert kinds >= {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "Service", "Ingress",
                     "ConfigMap", "Secret", "PersistentVolumeClaim", "HorizontalPodAutoscaler",
                     "PodDisruptionBudget", "Namespace", "ServiceAccount", "Role", "ClusterRole", "RoleBinding",
                     "ClusterRoleBinding", "NetworkPolicy"}
    service_types = {doc.get("spec", {}).get("type", "ClusterIP") for key, doc in VALID.items()
                     if key.startswith("Service/")}
    assert service_types == {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"}


def test_finding_says_what_the_api_server_says_where_and_links_the_docs():
    bad = mutate(VALID["Deployment/checkout"],
                 {"set": {"spec.template.spec.containers[0].imagePullPolicy": "Sometimes"}})
    [finding] = check(bad, "1.33")
    assert finding.rule == "api-enum-image-pull-policy"
    assert finding.message == 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'
    assert finding.path == "spec.template.spec.containers[0].imagePullPolicy"
    assert finding.resource == "Deployment/shop/checkout"
    assert "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy" in finding.hint


def test_paths_follow_the_kind_cronjob_pod_template_and_init_containers():
    bad = mutate(VALID["CronJob/nightly-report"], {"set": {
        "spec.jobTemplate.spec.template.spec.containers[0].ports": [{"containerPort": 70000}]}})
    [finding] = check(bad, "1.33")
    assert finding.path == "spec.jobTemplate.spec.template.spec.containers[0].ports[0].containerPort"
    assert finding.message == "Invalid value: 70000: must be between 1 and 65535, inclusive"
    bad = mutate(VALID["Pod/debug-shell"], {"set": {"spec.initContainers": [{"name": "init", "image": "x",
                                                                              "imagePullPolicy": "Maybe"}]}})
    assert [f.path for f in check(bad, "1.33")] == ["spec.initContainers[0].imagePullPolicy"]


def test_statefulset_pod_spec_findings_say_the_pods_not_the_object_are_refused():
    bad = mutate(VALID["StatefulSet/postgres"], {"set": {
        "spec.template.spec.containers[0].imagePullPolicy": "Sometimes", "spec.template.spec.restartPolicy": "Never"}})
    messages = {f.rule: f.message for f in check(bad, "1.33")}
    assert messages["api-enum-image-pull-policy"].startswith("the StatefulSet is accepted but every Pod it creates")
    assert messages["api-restart-policy"] == 'Unsupported value: "Never": supported values: "Always"'
    claims = mutate(VALID["StatefulSet/postgres"], {"set": {"spec.volumeClaimTemplates[0].spec.volumeMode": "Raw"}})
    [finding] = check(claims, "1.33")
    assert finding.message.startswith("the StatefulSet is accepted but the claims it creates are refused: ")


def test_findings_get_lines_and_columns_from_the_readers_locator_when_given():
    bad = Resource(mutate(VALID["Deployment/checkout"], {"set": {
        "spec.template.spec.containers[0].resources.requests.cpu": "2"}}).obj, Origin(file="deploy.yaml", line=1))
    seen = []

    def locate(origin, parts):
        seen.append(parts)
        return 42, 7
    [finding] = check(bad, "1.33", locate=locate)
    assert finding.path == "spec.template.spec.containers[0].resources.requests"
    assert finding.message == 'Invalid value: "2": must be less than or equal to cpu limit of 1'
    assert (finding.line, finding.column, seen) == (
        42, 7, [["spec", "template", "spec", "containers", 0, "resources", "requests"]])

    def broken(origin, parts):
        raise OSError("file gone")
    assert [f.line for f in check(bad, "1.33", locate=broken)] == [None]
    assert path_parts('data[tls.key]') == ["data", "tls.key"]
    assert path_parts('metadata.labels["app.kubernetes.io/name"]') == ["metadata", "labels", "app.kubernetes.io/name"]


def test_version_gates_follow_the_api_server():
    sidecar = mutate(VALID["Deployment/checkout"],
                     {"set": {"spec.template.spec.initContainers[1].restartPolicy": "Never"}})
    assert "api-init-container-restart-policy" in {f.rule for f in check(sidecar, "1.29")}
    assert "api-init-container-restart-policy" not in {f.rule for f in check(sidecar, "1.28")}
    env = mutate(VALID["Deployment/checkout"], {"set": {"spec.template.spec.containers[0].env[0].name": "1ST"}})
    assert [f.rule for f in check(env, "1.31")] == ["api-env-var-name"]
    assert check(env, "1.32") == [] and check(env, "v1.37.0") == []
    assert [f.rule for f in check(env, "1.21")] == ["api-env-var-name"]  # below the oldest: held as 1.25


def test_checks_other_api_versions_only_where_the_rule_holds():
    v1 = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "a"},
          "spec": {"maxReplicas": 3, "metrics": [{"type": "Cpu"}],
                   "scaleTargetRef": {"kind": "Deployment", "name": "a"}}}
    assert check(Resource(v1), "1.33") == []  # autoscaling/v1 has no metrics: the schema check says so


def test_unknown_kinds_and_custom_resources_are_left_alone():
    crd_object = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "Bad_Name"},
                  "spec": {"replicas": -1}}
    assert check(Resource(crd_object), "1.33") == []


# ---- hostile input ---------------------------------------------------------------------------------

_WEIRD = [None, True, False, 0, -1, 2**70, 1.5, float("nan"), "", "x" * 300, "Sometimes", "-1", "50%", "☃",
          "0x1F", [], [None], [1, "a"], {}, {"a": None}, {1: 2}, {"name": {}}, [[[]]], "TZ=x", "@every",
          "* * * * * *", "1e999", "1.5Gi", b"bytes", ("t",)]


def _shake(value, rng: random.Random, depth: int = 0):
    """Replace values anywhere in a manifest with values of the wrong type, keeping the rest."""
    if rng.random() < 0.08 or depth > 12:
        return rng.choice(_WEIRD)
    if isinstance(value, dict):
        return {k: _shake(v, rng, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_shake(v, rng, depth + 1) for v in value]
    return value


def _well_formed(findings) -> bool:
    return all(f.rule in RULE_IDS and f.severity == "error" and f.path and f.message
               for f in findings)


def test_hostile_input_never_raises():
    # strict: the shipped check() with its safety nets off, so a crashing check fails here
    rng = random.Random(8)
    flagged = 0
    for _ in range(40):
        for base in VALID.values():
            shaken = _shake(base, rng)
            for version in ("1.25", "1.33"):
                found = check(Resource(shaken), version, strict=True)
                assert _well_formed(found), [(f.rule, f.path, f.message) for f in found]
                flagged += bool(found)
    assert flagged, "values of the wrong type everywhere, and not one finding: the checks did not run"
    looped = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
              "spec": {"selector": {}, "template": {"metadata": {}, "spec": {}}}}
    looped["spec"]["template"]["spec"]["containers"] = [looped, looped["spec"]]  # YAML aliases can do this
    looped["spec"]["selector"]["matchLabels"] = looped
    assert _well_formed(check(Resource(looped), "1.33"))
    for obj in (None, [], "text", 7, {"kind": 5}, {"kind": "Deployment", "spec": []},
                {"kind": "Deployment", "spec": {"template": {"spec": {"containers": "no"}}}}):
        assert check(Resource(obj), "1.33", strict=True) == []  # type: ignore[arg-type]


def test_each_check_survives_every_weird_value_at_its_own_path():
    from gitops.apiserver.engine import Ctx
    ctx = Ctx({"kind": "Deployment", "apiVersion": "apps/v1"}, "Deployment", "apps/v1", (1, 33), strict=True)
    for rule in RULES:
        for weird in _WEIRD:
            for where, fields in rule.check(weird, "x", ctx):  # raising fails the test
                # what a check yields must make its rule's message: a path and every field the message names
                assert isinstance(where, str) and where, (rule.id, weird)
                assert apiserver._message(rule, fields, "Deployment", where, strict=True), (rule.id, weird)


# ---- catalog and docs -------------------------------------------------------------------------------

def test_catalog_lists_each_rule_once_with_behaviour_versions_and_docs():
    entries = catalog()
    assert [e["id"] for e in entries] == sorted(RULE_IDS)
    for entry in entries:
        assert entry["id"].startswith("api-") and entry["description"] and entry["api_server"]
        assert entry["doc"].startswith("https://kubernetes.io/docs/")
        assert entry["versions"]
    restart = next(e for e in entries if e["id"] == "api-env-var-name")
    assert restart["versions"] == "1.25–1.31, 1.32+"


def test_docs_file_is_generated_from_the_table():
    text = (REPO / DOC_PATH).read_text()
    assert render(text) == text, "docs/apiserver-checks.md is stale: run python -m gitops.apiserver.docs"


_VALIDATORS: dict[str, object] = {}


def _example_rules(text: str, version: str) -> list[str]:
    """What `gitops validate` (schemas and API-server checks together) says about an example."""
    from gitops.apiserver import expand_example
    from gitops.schema.validator import Options, Validator

    validator = _VALIDATORS.get(version)
    if validator is None:
        validator = _VALIDATORS[version] = Validator(Options(kubernetes_version=version))
    obj = yaml.safe_load(expand_example(text))
    return sorted({f.rule for f in validator.validate(Resource(obj, Origin(file="example.yaml"))).findings})


@pytest.mark.parametrize("rule_id", sorted(RULE_IDS))
def test_documented_examples_fail_for_their_rule_alone_and_pass_once_fixed(rule_id):
    from gitops.catalog import catalog as full_catalog

    example = apiserver.examples().get(rule_id)
    assert example is not None, f"{rule_id}: add a fails/passes example to gitops/apiserver/examples.yaml"
    assert _example_rules(example["fails"], example["version"]) == [rule_id]
    assert _example_rules(example["passes"], example["version"]) == []
    assert [label for label, _ in full_catalog()[rule_id].examples] == ["Fails", "Passes"]


def test_examples_name_only_rules_that_exist():
    assert set(apiserver.examples()) - RULE_IDS == set()
