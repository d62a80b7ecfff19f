"""Model serving outputs and progressive delivery: what each spec option produces, per environment,
valid against the official CRDs of ../shared/crds; bad combinations are spec errors naming file,
line, app and field."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops import (Analysis, Autoscaling, BlueGreen, Canary, KServe, ModelServer, MultiNode, Port, Resources, Service,
                    StatefulService, Volume, Weights)
from gitops.errors import SpecError
from tests.test_generated_schemas import errors_of, validator  # noqa: F401  (a fixture)
from tests.workload_helpers import synth

IMG = "ghcr.io/acme/server:1.2.0"
THIS_FILE = Path(__file__).name


def model(**kw) -> ModelServer:
    base = dict(name="m", image=IMG, ports=[Port(name="http", port=8080)], resources=Resources(cpu="4", memory="16Gi",
                                                                                             gpu=1))
    return ModelServer(**{**base, **kw})


def kinds(files: dict, env: str, app: str) -> set[str]:
    return {obj["kind"] for path, obj in objects(files) if path.startswith(f"{env}/{app}/")}


def objects(files: dict) -> list[tuple[str, dict]]:
    """The objects an app's folders hold (not their kustomization.yaml)."""
    return [(path, obj) for path, obj in files.items() if obj and not path.endswith("/kustomization.yaml")]


def test_a_rollout_is_chosen_per_environment():
    api = Service(name="api", image=IMG, ports=[8080], autoscaling=Autoscaling(min_replicas=2, max_replicas=6),
                  environments={"prod": {"rollout": Canary(steps=[10, 50], pause_seconds=60,
                                                           analysis=Analysis(query="up"))}})
    files, _ = synth(api, envs=("dev", "prod"), cluster="gke")
    assert "Deployment" in kinds(files, "dev", "api") and "Rollout" not in kinds(files, "dev", "api")
    assert {"Rollout", "AnalysisTemplate"} <= kinds(files, "prod", "api")
    assert "Deployment" not in kinds(files, "prod", "api")
    rollout = files["prod/api/rollout-api.yaml"]["spec"]
    assert "replicas" not in rollout  # the HPA owns it
    assert rollout["strategy"]["canary"]["steps"] == [{"setWeight": 10}, {"pause": {"duration": "60s"}},
                                                      {"setWeight": 50}, {"pause": {"duration": "60s"}}]
    assert rollout["strategy"]["canary"]["analysis"]["templates"] == [{"templateName": "api"}]
    hpa = files["prod/api/horizontalpodautoscaler-api.yaml"]["spec"]["scaleTargetRef"]
    assert hpa == {"name": "api", "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout"}


def test_blue_green_switches_the_apps_service_and_previews_on_its_own(validator):  # noqa: F811
    server = model(rollout=BlueGreen(auto_promote_seconds=None, analysis=Analysis(query="up", success="result[0] == 1")))
    files, _ = synth(server, cluster="gke")
    blue_green = files["dev/m/rollout-m.yaml"]["spec"]["strategy"]["blueGreen"]
    assert blue_green["activeService"] == "m" and blue_green["previewService"] == "m-preview"
    assert blue_green["autoPromotionEnabled"] is False and "autoPromotionSeconds" not in blue_green
    assert files["dev/m/service-m-preview.yaml"]["spec"]["selector"] == files["dev/m/service-m.yaml"]["spec"]["selector"]
    assert "PodDisruptionBudget" in kinds(files, "dev", "m")
    for path, obj in objects(files):
        assert errors_of(validator, obj) == [], path


def test_kserve_with_a_model_format_makes_a_serving_runtime_of_the_apps_image(validator):  # noqa: F811
    server = model(output="kserve", autoscaling=Autoscaling(min_replicas=2, max_replicas=5, cpu_percent=60),
                   kserve=KServe(model_format="pytorch", storage_uri="gs://models/m/v3", canary_percent=20))
    files, _ = synth(server, cluster="gke")
    assert kinds(files, "dev", "m") == {"Namespace", "ServiceAccount", "InferenceService", "ServingRuntime"}
    isvc = files["dev/m/inferenceservice-m.yaml"]
    predictor = isvc["spec"]["predictor"]
    assert isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "RawDeployment"
    assert (predictor["minReplicas"], predictor["maxReplicas"], predictor["scaleMetric"], predictor["scaleTarget"]) \
        == (2, 5, "cpu", 60)
    assert predictor["canaryTrafficPercent"] == 20
    assert predictor["model"]["runtime"] == "m" and predictor["model"]["storageUri"] == "gs://models/m/v3"
    assert predictor["model"]["resources"]["requests"]["nvidia.com/gpu"] == "1"
    assert predictor["tolerations"] and predictor["serviceAccountName"] == "m"
    runtime = files["dev/m/servingruntime-m.yaml"]["spec"]
    assert runtime["supportedModelFormats"] == [{"name": "pytorch", "autoSelect": True}]
    (container,) = runtime["containers"]
    assert container["name"] == "kserve-container" and container["image"] == IMG and container["startupProbe"]
    for path, obj in objects(files):
        assert errors_of(validator, obj) == [], path


def test_kserve_without_a_model_format_runs_the_app_as_a_custom_container(validator):  # noqa: F811
    server = model(output="kserve", kserve=KServe(storage_uri="s3://models/m/7", deployment_mode="Serverless"),
                   autoscaling=Autoscaling(min_replicas=1, max_replicas=3))
    files, _ = synth(server, cluster="eks")
    predictor = files["dev/m/inferenceservice-m.yaml"]["spec"]["predictor"]
    assert [c["name"] for c in predictor["containers"]] == ["kserve-container"]
    assert predictor["storageUris"] == [{"uri": "s3://models/m/7", "mountPath": "/mnt/models"}]
    assert predictor["scaleMetric"] == "concurrency" and "scaleTarget" not in predictor
    assert "ServingRuntime" not in kinds(files, "dev", "m")
    assert errors_of(validator, files["dev/m/inferenceservice-m.yaml"]) == []


def test_an_llm_inference_service_shards_over_gpus_and_nodes(validator):  # noqa: F811
    server = model(output="kserve-llm", kserve=KServe(storage_uri="hf://org/model"),
                   resources=Resources(cpu="16", memory="64Gi", gpu=4),
                   multi_node=MultiNode(nodes=2, worker_command=["ray", "start", "--block"]))
    files, _ = synth(server, cluster="gke")
    spec = files["dev/m/llminferenceservice-m.yaml"]["spec"]
    assert spec["model"] == {"uri": "hf://org/model", "name": "m"}
    assert spec["parallelism"] == {"tensor": 4, "pipeline": 2}
    assert spec["template"]["containers"][0]["name"] == "main"
    worker = spec["worker"]["containers"][0]
    assert worker["command"] == ["ray", "start", "--block"] and "readinessProbe" not in worker and "ports" not in worker
    assert errors_of(validator, files["dev/m/llminferenceservice-m.yaml"]) == []


def test_a_leader_worker_set_serves_from_its_leaders(validator):  # noqa: F811
    server = model(output="lws", replicas=2, multi_node=MultiNode(nodes=4, worker_args=["--worker"]))
    files, _ = synth(server, cluster="gke")
    lws = files["dev/m/leaderworkerset-m.yaml"]["spec"]
    template = lws["leaderWorkerTemplate"]
    assert (lws["replicas"], template["size"], template["restartPolicy"], lws["startupPolicy"]) == \
        (2, 4, "RecreateGroupOnPodRestart", "LeaderReady")
    leader = template["leaderTemplate"]["spec"]["containers"][0]
    worker = template["workerTemplate"]["spec"]["containers"][0]
    assert leader["readinessProbe"] and "readinessProbe" not in worker and worker["args"] == ["--worker"]
    assert lws["rolloutStrategy"]["rollingUpdateConfiguration"]["maxUnavailable"] == 0
    selector = files["dev/m/service-m.yaml"]["spec"]["selector"]
    assert selector["leaderworkerset.sigs.k8s.io/worker-index"] == "0"
    assert "Deployment" not in kinds(files, "dev", "m")
    for path, obj in objects(files):
        assert errors_of(validator, obj) == [], path


@pytest.mark.parametrize("build,field,expect", [
    (lambda: model(output="triton"), "output", "expected one of deployment, kserve, kserve-llm, lws"),
    (lambda: model(output="kserve"), "kserve", "needs kserve=KServe"),
    (lambda: model(kserve=KServe(storage_uri="gs://b/m/1")), "kserve", "set output="),
    (lambda: model(output="lws"), "multi_node", "needs multi_node"),
    (lambda: model(multi_node=MultiNode(nodes=2)), "multi_node", "need output="),
    (lambda: model(output="kserve", kserve=KServe(), rollout=Canary()), "rollout", "KServe rolls out itself"),
    (lambda: model(output="kserve-llm", kserve=KServe()), "kserve.storage_uri", "needs the model's URI"),
    (lambda: model(output="kserve", kserve=KServe(), weights=Weights.from_pvc("w")), "weights", "load the model"),
    (lambda: model(rollout="canary"), "rollout", "expected Canary(...), BlueGreen(...)"),
    (lambda: Service(name="s", image=IMG, ports=[80], service="Headless", rollout=BlueGreen()), "rollout",
     "needs service="),
    (lambda: StatefulService(name="db", image=IMG, ports=[5432], volumes=[Volume.pvc("d", "/d", size="1Gi")],
                             rollout=Canary()), "rollout", "replaces Deployments only"),
    (lambda: model(environments={"prod": {"output": "lws"}}), "environments['prod'].multi_node", "needs multi_node"),
])
def test_bad_combinations_name_file_line_app_and_field(build, field, expect):
    with pytest.raises(SpecError) as info:
        build()
    text = str(info.value)
    assert expect in text and f"{THIS_FILE}:" in text and "app '" in text, text
    assert f"{field}:" in text, text


@pytest.mark.parametrize("build,field", [
    (lambda: Canary(steps=[50, 20]), "Canary.steps"),
    (lambda: Canary(steps=[100]), "Canary.steps"),
    (lambda: Canary(pause_seconds=0), "Canary.pause_seconds"),
    (lambda: Analysis(query=""), "Analysis.query"),
    (lambda: Analysis(query="up", prometheus="prometheus:9090"), "Analysis.prometheus"),
    (lambda: BlueGreen(auto_promote_seconds=-1), "BlueGreen.auto_promote_seconds"),
    (lambda: KServe(storage_uri="bucket/model"), "KServe.storage_uri"),
    (lambda: KServe(scale_metric="gpu"), "KServe.scale_metric"),
    (lambda: KServe(canary_percent=120), "KServe.canary_percent"),
    (lambda: MultiNode(nodes=1), "MultiNode.nodes"),
    (lambda: MultiNode(nodes=2, restart="Always"), "MultiNode.restart"),
])
def test_bad_parts_name_file_line_and_field(build, field):
    with pytest.raises(SpecError) as info:
        build()
    assert f"{THIS_FILE}:" in str(info.value) and f"{field}:" in str(info.value), str(info.value)


def test_the_pod_rules_and_pod_security_see_the_pods_of_the_serving_kinds():
    """Before, a privileged container in a LeaderWorkerSet, InferenceService or LLMInferenceService,
    or in a Rollout (for Pod Security), passed every pod rule unseen."""
    from gitops.admission.pods import pod_template
    from tests.policy.helpers import check, resources

    bad = "{name: c, image: i:1, ports: [{name: http, containerPort: 8000}], securityContext: {privileged: true}}"
    lws = f"""
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata: {{name: t, namespace: ml}}
spec:
  leaderWorkerTemplate:
    size: 2
    leaderTemplate: {{spec: {{containers: [{bad}]}}}}
    workerTemplate: {{spec: {{containers: [{{name: w, image: i:1}}]}}}}
"""
    # The leader serves, so its pod is the one the rules read while it has a template of its own.
    assert [f.path for f in check("privileged", lws)] == ["spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0]"]
    workers_only = lws.replace("    leaderTemplate: {spec: {containers: [" + bad + "]}}\n", "").replace(
        "[{name: w, image: i:1}]", f"[{bad}]")
    assert [f.path for f in check("privileged", workers_only)] == [
        "spec.leaderWorkerTemplate.workerTemplate.spec.containers[0]"]
    isvc = f"""
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {{name: t, namespace: ml}}
spec: {{predictor: {{containers: [{bad}]}}}}
"""
    assert [f.path for f in check("privileged", isvc)] == ["spec.predictor.containers[0]"]
    llm = f"""
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata: {{name: t, namespace: ml}}
spec: {{model: {{uri: "hf://m"}}, template: {{containers: [{bad}]}}}}
"""
    assert [f.path for f in check("privileged", llm)] == ["spec.template.containers[0]"]
    rollout = f"""
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {{name: t, namespace: ml}}
spec: {{selector: {{matchLabels: {{a: b}}}}, template: {{metadata: {{labels: {{a: b}}}}, spec: {{containers: [{bad}]}}}}}}
"""
    for text, path in ((rollout, "spec.template.spec"), (lws, "spec.leaderWorkerTemplate.workerTemplate.spec")):
        template = pod_template(resources(text)[0])
        assert template is not None and template.spec_path == path
