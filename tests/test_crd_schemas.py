"""The compact schemas of gitops/crdschemas are what the build script makes of the official CRDs in
../shared/crds, and they judge objects as those CRDs do (the same valid and invalid verdicts)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from gitops.crdschemas import HERE, SOURCES
from gitops.crdschemas.build import compact, render
from gitops.manifests.resource import Origin, Resource
from gitops.schema.crd import import_crds
from gitops.schema.validator import Options, Validator
from tests.conftest import require_shared

VERSION = "1.33"

ISVC = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
        "metadata": {"name": "m", "namespace": "ns"},
        "spec": {"predictor": {"minReplicas": 1, "maxReplicas": 3, "scaleMetric": "concurrency", "scaleTarget": 4,
                               "canaryTrafficPercent": 10,
                               "model": {"modelFormat": {"name": "sklearn"}, "storageUri": "gs://b/m/1",
                                         "resources": {"requests": {"cpu": "1", "nvidia.com/gpu": "1"},
                                                       "limits": {"nvidia.com/gpu": "1"}}}}}}
ROLLOUT = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "r", "namespace": "ns"},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "r"}},
                    "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {"duration": "5m"}}]}},
                    "template": {"metadata": {"labels": {"app": "r"}},
                                 "spec": {"containers": [{"name": "c", "image": "i:1"}]}}}}
LWS = {"apiVersion": "leaderworkerset.x-k8s.io/v1", "kind": "LeaderWorkerSet",
       "metadata": {"name": "l", "namespace": "ns"},
       "spec": {"replicas": 1, "leaderWorkerTemplate": {"size": 2, "workerTemplate": {
           "spec": {"containers": [{"name": "c", "image": "i:1"}]}}}}}
# as synth/secrets.py writes it
EXTERNAL_SECRET = {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                   "metadata": {"name": "db", "namespace": "ns"},
                   "spec": {"refreshInterval": "1h", "secretStoreRef": {"kind": "ClusterSecretStore", "name": "vault"},
                            "target": {"name": "db", "creationPolicy": "Owner"},
                            "data": [{"secretKey": "url", "remoteRef": {"key": "db", "property": "url"}}],
                            "dataFrom": [{"extract": {"key": "tls"}}]}}
# (object, a change that makes it invalid) pairs; each broken one must be refused by both.
BREAKS = [
    (ISVC, lambda o: o["spec"]["predictor"].__setitem__("scaleMetric", "gpu")),
    (ISVC, lambda o: o["spec"]["predictor"]["model"].__setitem__("storageURI", "gs://b")),
    (ISVC, lambda o: o["spec"]["predictor"]["model"].__setitem__("modelFormat", {})),
    (ROLLOUT, lambda o: o["spec"]["strategy"]["canary"]["steps"].append({"setWeight": "half"})),
    (ROLLOUT, lambda o: o["spec"]["strategy"].__setitem__("canary", {"stepz": []})),
    (LWS, lambda o: o["spec"]["leaderWorkerTemplate"].__setitem__("restartPolicy", "Always")),
    (LWS, lambda o: o["spec"]["leaderWorkerTemplate"].pop("workerTemplate")),
    (EXTERNAL_SECRET, lambda o: o["spec"]["secretStoreRef"].__setitem__("kind", "VaultStore")),
    (EXTERNAL_SECRET, lambda o: o["spec"]["data"][0]["remoteRef"].__setitem__("keys", "db")),
]


@pytest.fixture(scope="module")
def official(tmp_path_factory) -> Validator:
    target = tmp_path_factory.mktemp("schemas")
    crds = require_shared() / "crds"
    assert import_crds([str(crds / s.crd_file) for s in SOURCES], str(target))
    return Validator(Options(VERSION, strict=True, schemas_dir=str(target), locate_lines=False))


@pytest.fixture(scope="module")
def bundled() -> Validator:
    return Validator(Options(VERSION, strict=True, locate_lines=False))


def errors(validator: Validator, obj: dict) -> list[str]:
    outcome = validator.validate(Resource(obj, Origin(file="")))
    return [f"{f.path}: {f.message}" for f in outcome.findings if f.severity == "error"]


def test_every_file_is_what_the_script_makes_of_the_official_crd():
    crds = require_shared() / "crds"
    stale = [s.file_name for s in SOURCES if render(s, str(crds)) != (Path(HERE) / s.file_name).read_text()]
    assert stale == [], "run `python -m gitops.crdschemas.build ../shared/crds`"


def test_the_bundled_schemas_are_used_and_compact(bundled):
    for source in SOURCES:
        entry = bundled.store.lookup(source.api_version, source.kind)
        assert entry is not None and entry.source == "gitops (bundled)", source
        assert (Path(HERE) / source.file_name).stat().st_size < 200_000


@pytest.mark.parametrize("obj", [ISVC, ROLLOUT, LWS, EXTERNAL_SECRET], ids=lambda o: o["kind"])
def test_a_valid_object_passes_both(obj, official, bundled):
    assert errors(official, obj) == []
    assert errors(bundled, obj) == []


@pytest.mark.parametrize("case", range(len(BREAKS)))
def test_a_broken_object_fails_both(case, official, bundled):
    base, change = BREAKS[case]
    broken = copy.deepcopy(base)
    change(broken)
    assert errors(official, broken) != []
    assert errors(bundled, broken) != []


def test_repeated_subtrees_are_shared_and_cel_rules_stay_inline():
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "x"},
           "spec": {"group": "example.com", "names": {"kind": "Thing"}, "scope": "Namespaced", "versions": [{
               "name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                   "type": "object", "description": "dropped", "properties": {"spec": {"type": "object", "properties": {
                       "a": {"type": "object", "description": "dropped too", "properties": {
                           f"f{i}": {"type": "string"} for i in range(40)}},
                       "b": {"type": "object", "properties": {f"f{i}": {"type": "string"} for i in range(40)}},
                       "c": {"type": "object", "x-kubernetes-validations": [{"rule": "has(self.f0)"}],
                             "properties": {f"f{i}": {"type": "string"} for i in range(40)}},
                       "description": {"type": "string"}}}}}}}]}}
    schema = compact(crd, "v1")
    spec = schema["properties"]["spec"]["properties"]
    assert spec["a"] == spec["b"] == {"$ref": "#/definitions/a"}
    assert "x-kubernetes-validations" in spec["c"] and "properties" in spec["c"]
    assert spec["description"] == {"type": "string"}
    assert "dropped" not in json.dumps(schema)
    assert schema["definitions"]["a"]["additionalProperties"] is False
