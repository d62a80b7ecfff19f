"""The sync replay knows the health of Argo Rollouts and KServe objects (Argo CD's
resource_customizations): a Rollout needs the Services and AnalysisTemplates its strategy names, a
paused one never becomes healthy, one that pauses for a person holds later waves on each update;
an InferenceService needs the ServingRuntime its model names; the generated examples replay clean."""
from __future__ import annotations

from gitops.manifests.reader import read_paths
from gitops.syncplan import simulate
from tests.conftest import REPO
from tests.test_syncplan import folder, rules


def sub(tmp_path, name: str):
    path = tmp_path / name
    path.mkdir()
    return path


def wave(n: int) -> str:
    return f"{{argocd.argoproj.io/sync-wave: '{n}'}}"


def rollout(n: int, strategy: str, extra: str = "") -> str:
    return f"""\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {{name: web, namespace: ml, annotations: {wave(n)}}}
spec:{extra}
  replicas: 2
  selector: {{matchLabels: {{app: web}}}}
  strategy: {strategy}
  template:
    metadata: {{labels: {{app: web}}}}
    spec: {{containers: [{{name: web, image: web:1}}]}}
"""


def template(n: int) -> str:
    return f"""\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {{name: web, namespace: ml, annotations: {wave(n)}}}
spec: {{metrics: [{{name: ok, provider: {{prometheus: {{address: 'http://p:9090', query: up}}}}}}]}}
"""


def service(n: int, name: str = "web") -> str:
    return f"""\
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: ml, annotations: {wave(n)}}}
spec: {{selector: {{app: web}}, ports: [{{port: 80}}]}}
"""


LAST = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: last, namespace: ml, annotations: {argocd.argoproj.io/sync-wave: '9'}}
"""
CANARY = "{canary: {steps: [{setWeight: 20}, {pause: {duration: 5m}}], analysis: {templates: [{templateName: web}]}}}"


def test_a_rollout_before_the_analysis_template_it_runs_deadlocks(tmp_path):
    assert rules(folder(tmp_path, rollout(1, CANARY), template(2), LAST)) == [("sync-wave-deadlock", "error")]
    assert rules(folder(sub(tmp_path, "ok"), template(0), rollout(1, CANARY), LAST)) == []


def test_a_blue_green_rollout_needs_its_active_and_preview_services_first(tmp_path):
    blue_green = "{blueGreen: {activeService: web, previewService: web-preview}}"
    found = rules(folder(tmp_path, rollout(1, blue_green), service(0), service(2, "web-preview"), LAST))
    assert found == [("sync-wave-deadlock", "error")]


def test_a_paused_rollout_never_becomes_healthy(tmp_path):
    found = rules(folder(tmp_path, rollout(1, "{canary: {}}", extra="\n  paused: true"), LAST))
    assert found == [("sync-never-healthy", "error")]


def test_a_rollout_waiting_for_a_person_holds_later_waves_on_every_update(tmp_path):
    manual = "{canary: {steps: [{setWeight: 20}, {pause: {}}]}}"
    path = folder(tmp_path, rollout(1, manual), LAST)
    found = simulate(read_paths([str(path)]).resources).problems()
    assert [(p.rule, p.severity) for p in found] == [("sync-never-healthy", "info")]
    assert "promote" in found[0].message
    no_auto = "{blueGreen: {activeService: web, autoPromotionEnabled: false}}"
    assert rules(folder(sub(tmp_path, "bg"), service(0), rollout(1, no_auto), LAST)) == [("sync-never-healthy", "info")]
    # in the last wave Argo CD does not wait for it
    assert rules(folder(sub(tmp_path, "last"), rollout(1, manual))) == []


def test_an_inference_service_needs_its_serving_runtime_first(tmp_path):
    isvc = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: m, namespace: ml, annotations: {argocd.argoproj.io/sync-wave: '1'}}
spec:
  predictor:
    model: {modelFormat: {name: sklearn}, runtime: m, storageUri: 'gs://b/m/1'}
"""
    runtime = """\
apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {{name: m, namespace: ml, annotations: {wave}}}
spec: {{supportedModelFormats: [{{name: sklearn}}], containers: [{{name: kserve-container, image: s:1}}]}}
"""
    assert rules(folder(tmp_path, isvc, runtime.format(wave=wave(2)), LAST)) == [("sync-wave-deadlock", "error")]
    assert rules(folder(sub(tmp_path, "ok"), isvc, runtime.format(wave=wave(0)), LAST)) == []


def test_the_generated_serving_examples_replay_clean():
    paths = [str(p) for p in sorted((REPO / "generated").glob("*/*")) if p.name in (
        "web-api", "object-detector", "fraud-scorer", "chat-assistant", "llm-70b")]
    assert len(paths) == 10
    plans = simulate(read_paths(paths).resources)
    assert plans.problems() == []
    kinds = {t.res.kind for plan in plans.plans for step in plan.steps for t in step.tasks}
    assert {"Rollout", "AnalysisTemplate", "InferenceService", "ServingRuntime", "LLMInferenceService",
            "LeaderWorkerSet"} <= kinds

