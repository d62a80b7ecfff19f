"""KServe outputs of a ModelServer: an InferenceService (with a ServingRuntime when the model has a
format, the app's image being the runtime), or an LLMInferenceService for a vLLM-style server.

The pod is the one every ModelServer gets (security context, probes, GPU placement, graceful
shutdown), built by the shared code and laid out the KServe way: pod fields inline on the
predictor, the app's container as `kserve-container` (InferenceService, ServingRuntime) or
`main` (LLMInferenceService), the names KServe merges its defaults into. KServe makes the
Deployment, Service and autoscaler itself, so none are written here. Field names follow the CRDs
of kserve/kserve `config/crd/full/`.
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from .context import Target
from .custom import container_named, custom_object, metadata_json, pod_spec_json
from .kinds.base import meta, workload_meta
from .lws import worker_container
from .pod import PodExtras, pod_spec

if TYPE_CHECKING:
    from cdk8s import Chart

    from ..spec.kinds.model_server import ModelServer

API_V1BETA1 = "serving.kserve.io/v1beta1"
API_V1ALPHA1 = "serving.kserve.io/v1alpha1"
API_V1ALPHA2 = "serving.kserve.io/v1alpha2"
DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"
CONTAINER = "kserve-container"
LLM_CONTAINER = "main"
# Pod-level fields of our pod spec that a predictor (or LLM template) carries inline.
POD_FIELDS = ("affinity", "automountServiceAccountToken", "nodeSelector", "priorityClassName", "securityContext",
              "serviceAccountName", "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints",
              "volumes")


def _pod(k8s: ModuleType, t: Target, extras: PodExtras) -> dict:
    return pod_spec_json(k8s, pod_spec(k8s, t, extras))


def _pod_fields(pod: dict) -> dict:
    return {key: pod[key] for key in POD_FIELDS if key in pod}


def replicas(app: Any) -> tuple[int, int]:
    """(min, max): the autoscaling range, else the fixed replica count."""
    if app.autoscaling is not None:
        return app.autoscaling.min_replicas, app.autoscaling.max_replicas
    return app.replicas, app.replicas


def scaling(app: Any) -> tuple[str | None, int | None]:
    """(scaleMetric, scaleTarget) as the KServe part says, else derived from the app's autoscaling."""
    serving = app.kserve
    metric = serving.scale_metric
    if metric is None and app.autoscaling is not None:
        metric = "cpu" if serving.deployment_mode == "RawDeployment" else "concurrency"
    target = serving.scale_target
    if target is None and metric == "cpu" and app.autoscaling is not None:
        target = app.autoscaling.cpu_percent
    return metric, target


def build_inference_service(k8s: ModuleType, chart: Chart, t: Target[ModelServer], extras: PodExtras) -> None:
    app = t.app
    serving = app.kserve
    assert serving is not None  # ModelServer requires it for this output
    pod = _pod(k8s, t, extras)
    main = container_named(pod, CONTAINER)
    low, high = replicas(app)
    predictor: dict[str, Any] = {"minReplicas": low, "maxReplicas": high}
    metric, target = scaling(app)
    if metric is not None:
        predictor["scaleMetric"] = metric
    if target is not None:
        predictor["scaleTarget"] = target
    if serving.canary_percent is not None:
        predictor["canaryTrafficPercent"] = serving.canary_percent
    predictor.update(_pod_fields(pod))
    if serving.model_format is None:
        if serving.storage_uri is not None:
            predictor["storageUris"] = [{"uri": serving.storage_uri, "mountPath": "/mnt/models"}]
        predictor["containers"] = [main]
    else:
        model: dict[str, Any] = {"modelFormat": {"name": serving.model_format}, "runtime": app.name}
        if serving.model_format_version is not None:
            model["modelFormat"]["version"] = serving.model_format_version
        if serving.storage_uri is not None:
            model["storageUri"] = serving.storage_uri
        if serving.protocol is not None:
            model["protocolVersion"] = serving.protocol
        if "resources" in main:
            model["resources"] = main["resources"]
        predictor["model"] = model
        build_serving_runtime(k8s, chart, t, main)
    meta_obj = workload_meta(k8s, t, extra={DEPLOYMENT_MODE: serving.deployment_mode})
    custom_object(chart, "inference-service", API_V1BETA1, "InferenceService", metadata_json(meta_obj), {"predictor": predictor})


def build_serving_runtime(k8s: ModuleType, chart: Chart, t: Target[ModelServer], main: dict) -> None:
    """The app's image as a runtime for its model format, in the app's namespace."""
    serving = t.app.kserve
    assert serving is not None and serving.model_format is not None
    model_format: dict[str, Any] = {"name": serving.model_format, "autoSelect": True}
    if serving.model_format_version is not None:
        model_format["version"] = serving.model_format_version
    spec: dict[str, Any] = {"supportedModelFormats": [model_format], "containers": [main]}
    if serving.protocol is not None:
        spec["protocolVersions"] = [serving.protocol]
    custom_object(chart, "serving-runtime", API_V1ALPHA1, "ServingRuntime", metadata_json(meta(k8s, t)), spec)


def build_llm_inference_service(k8s: ModuleType, chart: Chart, t: Target[ModelServer], extras: PodExtras) -> None:
    app = t.app
    serving = app.kserve
    assert serving is not None and serving.storage_uri is not None  # ModelServer requires both here
    pod = _pod(k8s, t, extras)
    main = container_named(pod, LLM_CONTAINER)
    gpus = app.resources.gpu if app.resources is not None else 0
    spec: dict[str, Any] = {"model": {"uri": serving.storage_uri, "name": app.name}}
    if app.autoscaling is None:
        spec["replicas"] = app.replicas
    parallelism: dict[str, int] = {}
    if gpus > 1:
        parallelism["tensor"] = gpus  # one shard of each layer per GPU of a node
    if app.multi_node is not None:
        parallelism["pipeline"] = app.multi_node.nodes  # one stage of the layers per node
    if parallelism:
        spec["parallelism"] = parallelism
    spec["template"] = {**_pod_fields(pod), "containers": [main]}
    if app.multi_node is not None:
        spec["worker"] = {**_pod_fields(pod), "containers": [worker_container(main, app.multi_node)]}
    if app.autoscaling is not None:
        spec["scaling"] = {"minReplicas": app.autoscaling.min_replicas, "maxReplicas": app.autoscaling.max_replicas}
    custom_object(chart, "llm-inference-service", API_V1ALPHA2, "LLMInferenceService",
                  metadata_json(workload_meta(k8s, t)), spec)
