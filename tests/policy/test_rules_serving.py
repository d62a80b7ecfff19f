"""The serving rules: model URIs pinned in production, GPU requests on GPU predictors, canary traffic
only with a previous revision; each on the cases its documentation examples miss."""
from __future__ import annotations

import pytest

from tests.policy.helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("serving"))
def test_documentation_examples(rule_id):
    assert_examples(rule_id)


def isvc(predictor: str, name: str = "fraud") -> str:
    return f"""
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {{name: {name}, namespace: payments}}
spec:
  predictor:
{predictor}
"""


@pytest.mark.parametrize("uri, bad", [
    ("gs://m/fraud/latest", True), ("s3://m/fraud/LATEST/", True), ("oci://ghcr.io/acme/model:latest", True),
    ("oci://ghcr.io/acme/model", True), ("hf://acme/model@latest", True),
    ("gs://m/fraud/v14", False), ("oci://ghcr.io/acme/model:1.4.0", False),
    ("oci://ghcr.io/acme/model@sha256:" + "a" * 64, False), ("gs://m/latest-experiments/v3", False),
])
def test_model_uri_pinned(uri, bad):
    found = check("model-uri-pinned", isvc(f"    model: {{modelFormat: {{name: sklearn}}, storageUri: '{uri}'}}"))
    assert bool(found) == bad, uri
    if bad:
        assert found[0].path == "spec.predictor.model.storageUri" and uri in found[0].message


def test_model_uri_pinned_reads_storage_uris_frameworks_and_llm_services():
    found = check("model-uri-pinned", isvc("""    storageUris: [{uri: gs://m/a/latest, mountPath: /mnt/a}]
    sklearn: {storageUri: gs://m/b/latest}
    containers: [{name: kserve-container, image: i:1}]"""))
    assert sorted(f.path for f in found) == ["spec.predictor.sklearn.storageUri", "spec.predictor.storageUris[0].uri"]
    llm = """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata: {name: chat, namespace: a}
spec: {model: {uri: 'hf://org/model:latest'}}
"""
    assert [f.path for f in check("model-uri-pinned", llm)] == ["spec.model.uri"]


def test_a_predictor_on_gpu_nodes_without_gpu_requests_is_reported_also_for_custom_containers_and_llms():
    custom = isvc("""    tolerations: [{key: nvidia.com/gpu, operator: Exists}]
    containers: [{name: kserve-container, image: i:1, resources: {requests: {cpu: "1"}}}]""")
    assert len(check("predictor-gpu-requests", custom)) == 1
    with_gpu = custom.replace('requests: {cpu: "1"}', 'limits: {nvidia.com/gpu: "1"}')
    assert check("predictor-gpu-requests", with_gpu) == []
    cpu_only = isvc("""    containers: [{name: kserve-container, image: i:1}]""")
    assert check("predictor-gpu-requests", cpu_only) == []
    llm = """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata: {name: chat, namespace: a}
spec:
  model: {uri: 'hf://org/model'}
  worker:
    affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [
      {matchExpressions: [{key: nvidia.com/gpu.present, operator: In, values: ["true"]}]}]}}}
    containers: [{name: main, image: i:1}]
"""
    found = check("predictor-gpu-requests", llm)
    assert [f.path for f in found] == ["spec.worker"] and "nvidia.com/gpu.present" in found[0].message


def test_canary_is_judged_against_the_base_ref_only():
    current = isvc("""    canaryTrafficPercent: 10
    model: {modelFormat: {name: sklearn}, storageUri: gs://acme-models/fraud/v14}""")
    # the example context's base serves v14 already: the same predictor makes no new revision
    found = check("canary-needs-previous-revision", current)
    assert len(found) == 1 and "unchanged" in found[0].message
    # no base known (gitops check without --base): nothing to say
    from gitops.manifests.resource import Origin, Resource
    from gitops.policy.api import Context
    from gitops.policy.engine import run_rule
    from gitops.policy.registry import all_rules
    import yaml

    rule = all_rules()["canary-needs-previous-revision"]
    objects = (Resource(yaml.safe_load(current), Origin(file="t.yaml")),)
    assert run_rule(rule, Context(resources=objects, options={}, severity="error"), objects) == []
