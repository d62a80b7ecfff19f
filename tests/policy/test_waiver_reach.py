"""One waiver engine for every waivable id: an annotation on a workload reaches the objects made for
it, and ids of other stages (schema, admission, sync) are waived like policy rules (issue 17)."""
from __future__ import annotations

from gitops.findings import Finding, Found
from gitops.policy.config import from_text
from gitops.policy.engine import Engine, run

from .helpers import resources

REQUIRE_TEAM = "rules:\n  required-labels: {options: {labels: [team]}}\n"

APP = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  annotations: {%s}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "ghcr.io/acme/api:1.0.0"}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 4
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: api}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: other, namespace: shop}
spec:
  selector: {app: other}
  ports: [{name: http, port: 80, targetPort: 8080}]
"""


def _labels(findings: list[Finding]) -> dict[str, bool]:
    """Kind/name -> waived, for the required-labels findings."""
    return {f.resource: f.waived for f in findings if f.rule == "required-labels"}


def test_an_annotation_on_a_workload_waives_its_hpa_pdb_and_service_but_not_a_stranger():
    found = run(resources(APP % '"gitops.dev/waive.required-labels": "labels come from the platform"'),
                from_text(REQUIRE_TEAM))
    assert _labels(found) == {"Deployment/shop/api": True, "HorizontalPodAutoscaler/shop/api": True,
                              "PodDisruptionBudget/shop/api": True, "Service/shop/api": True,
                              "Service/shop/other": False}
    assert [f for f in found if f.rule.startswith("waiver-")] == []  # used, so not reported unused


def test_without_the_annotation_every_object_is_reported():
    assert set(_labels(run(resources(APP % ""), from_text(REQUIRE_TEAM))).values()) == {False}


def test_in_generated_output_the_app_is_the_unit():
    objects = resources(APP % '"gitops.dev/waive.required-labels": "platform labels"', env="dev", app="api")
    stranger = resources("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api-config, namespace: shop}\n",
                         file="c.yaml", env="dev", app="api")
    found = run(objects + stranger, from_text(REQUIRE_TEAM), env="dev")
    assert _labels(found)["ConfigMap/shop/api-config"] is True  # the same app: the workload's waiver reaches it


def _found(res, rule: str) -> Finding:
    return Finding.stamp(Found(res, "m"), rule, "error")


def test_other_stages_ids_are_waived_by_the_same_annotations():
    objects = resources(APP % '"gitops.dev/waive.scheduling-no-fit": "a pool the profile does not list", '
                              '"gitops.dev/waive.sync-never-healthy": "paused on purpose"')
    engine = Engine(from_text(""))
    engine.see(objects)
    deployment, hpa = objects[0], objects[1]
    settled = engine.settle([_found(deployment, "scheduling-no-fit"), _found(hpa, "sync-never-healthy"),
                             _found(deployment, "schema-type")], {})
    assert [(f.rule, f.waived) for f in settled] == [("scheduling-no-fit", True), ("sync-never-healthy", True),
                                                     ("schema-type", False)]  # the API server refuses that one
    assert engine.finish(("admission", "sync")) == []


def test_an_annotation_naming_an_id_that_cannot_be_waived_says_so():
    engine = Engine(from_text(""))
    engine.see(resources(APP % '"gitops.dev/waive.api-port-range": "x", "gitops.dev/waive.sync-typo": "y"'))
    problems = {f.rule: f.message for f in engine.finish(("schema", "api-server", "sync"))}
    assert problems["waiver-invalid"].startswith("waiver annotation for api-port-range: this id cannot be waived")
    assert problems["waiver-unknown-rule"] == "waiver annotation names an unknown rule 'sync-typo'"


def test_an_unused_annotation_is_reported_only_where_its_stage_ran():
    engine = Engine(from_text(""))
    engine.see(resources(APP % '"gitops.dev/waive.sync-never-healthy": "x"'))
    assert engine.finish(("schema", "api-server")) == []  # validate does not simulate syncs
    [unused] = engine.finish(("sync",))
    assert unused.rule == "waiver-unused"
