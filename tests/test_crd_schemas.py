"""The compact KEDA, Kueue and JobSet schemas the package ships are exactly what
`gitops.crdschemas.derive` makes from the official CRDs in ../shared/crds, and the schema store
uses them: strict (unknown fields refused), embedded Kubernetes types checked as Kubernetes types."""
from __future__ import annotations

import json
import os

import pytest

from gitops.crdschemas import HERE, SOURCES_FILE, compact_schemas
from gitops.crdschemas.derive import KINDS, derive, file_name, render
from gitops.manifests.resource import Origin, Resource
from gitops.schema.validator import Options, Validator
from tests.conftest import require_shared


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(Options("1.33", strict=True, locate_lines=False))


def problems(validator: Validator, obj: dict) -> list[str]:
    return [f"{f.path}: {f.rule}" for f in validator.validate(Resource(obj, Origin(file="x.yaml"))).findings
            if f.severity == "error"]


@pytest.mark.parametrize("api_version,kind", sorted(KINDS))
def test_each_bundled_schema_is_derived_from_the_official_crd(api_version, kind):
    crds = require_shared() / "crds"
    schema, digest = derive(str(crds), api_version, kind)
    name = file_name(api_version, kind)
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        assert fh.read() == render(schema), f"stale: run python -m gitops.crdschemas.derive {crds}"
    with open(os.path.join(HERE, SOURCES_FILE), encoding="utf-8") as fh:
        assert json.load(fh)[name]["sha256"] == digest


def test_the_bundle_is_a_small_fraction_of_the_crds():
    crds = require_shared() / "crds"
    crd_bytes = sum((crds / KINDS[key][0]).stat().st_size for key in KINDS)
    bundle = sum(os.path.getsize(os.path.join(HERE, file_name(*key))) for key in KINDS)
    assert set(compact_schemas()) == set(KINDS)
    assert bundle * 10 < crd_bytes


def test_the_store_refuses_unknown_fields_and_checks_embedded_kubernetes_types(validator):
    scaled = {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "w", "namespace": "n"},
              "spec": {"scaleTargetRef": {"name": "w"}, "minReplicaCount": 0,
                       "triggers": [{"type": "rabbitmq", "metadata": {"queueName": "orders"}}]}}
    assert problems(validator, scaled) == []
    typo = {**scaled, "spec": {**scaled["spec"], "minReplicas": 0}}
    assert problems(validator, typo) == ["spec.minReplicas: schema-unknown-field"]
    jobset = {"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet", "metadata": {"name": "t"},
              "spec": {"replicatedJobs": [{"name": "w", "replicas": 1, "template": {"spec": {"template": {"spec": {
                  "containers": [{"name": "c", "image": "i", "resources": {"limit": {"cpu": "1"}}}]}}}}}]}}
    assert problems(validator, jobset) == [
        "spec.replicatedJobs[0].template.spec.template.spec.containers[0].resources.limit: schema-unknown-field"]
