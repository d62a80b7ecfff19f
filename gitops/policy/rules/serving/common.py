"""What the serving rules share: where KServe objects keep their model URIs and pod specs."""
from __future__ import annotations

from typing import Any, Iterator

from ....manifests.resource import Resource
from ...api import as_map

KSERVE_GROUP = "serving.kserve.io"
COMPONENTS = ("predictor", "transformer", "explainer")
# The model frameworks of a v1beta1 component: each is a container with a storageUri.
FRAMEWORKS = ("model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml",
              "lightgbm", "paddle")


def is_kserve(res: Resource) -> bool:
    return res.group == KSERVE_GROUP


def components(res: Resource) -> Iterator[tuple[str, dict, str]]:
    """(name, spec, JSON path) of each component of an InferenceService."""
    spec = as_map(res.obj.get("spec"))
    for name in COMPONENTS:
        component = spec.get(name)
        if isinstance(component, dict):
            yield name, component, f"spec.{name}"


def model_uris(res: Resource) -> Iterator[tuple[str, str]]:
    """(URI, JSON path) of every model an InferenceService or LLMInferenceService loads."""
    if res.kind == "LLMInferenceService":
        uri = as_map(as_map(res.obj.get("spec")).get("model")).get("uri")
        if isinstance(uri, str):
            yield uri, "spec.model.uri"
        return
    for _, component, path in components(res):
        for framework in FRAMEWORKS:
            uri = as_map(component.get(framework)).get("storageUri")
            if isinstance(uri, str):
                yield uri, f"{path}.{framework}.storageUri"
        for i, item in enumerate(component.get("storageUris") or []):
            uri = as_map(item).get("uri")
            if isinstance(uri, str):
                yield uri, f"{path}.storageUris[{i}].uri"


def pod_parts(res: Resource) -> Iterator[tuple[dict, list[dict], str]]:
    """(pod-level spec, its containers, JSON path) of each pod a KServe object describes inline."""
    if res.kind == "LLMInferenceService":
        spec = as_map(res.obj.get("spec"))
        for key in ("template", "worker"):
            part = spec.get(key)
            if isinstance(part, dict):
                yield part, [c for c in part.get("containers") or [] if isinstance(c, dict)], f"spec.{key}"
        return
    for name, component, path in components(res):
        if name != "predictor":
            continue
        found: list[dict[str, Any]] = [c for c in component.get("containers") or [] if isinstance(c, dict)]
        found += [component[f] for f in FRAMEWORKS if isinstance(component.get(f), dict)]
        yield component, found, path
