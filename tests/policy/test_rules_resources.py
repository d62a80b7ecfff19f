"""Resource rules: requests, limits, GPUs; every rule's failing and passing example, plus edge cases."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("resources"))
def test_examples(rule_id):
    assert_examples(rule_id)


POD = """
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  initContainers:
  - {name: init, image: x:1, resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}}
  containers:
  - {name: api, image: x:1, resources: {requests: {cpu: %s, memory: 64Mi}, limits: {memory: 64Mi}}}
"""


def test_cpu_bounds_from_options():
    assert check("cpu-requests", POD % "2", options={"max": "1"})[0].message.endswith("above the maximum 1")
    low = check("cpu-requests", POD % "50m", options={"min": "100m"})
    assert [f.path for f in low] == ["spec.containers[0].resources.requests.cpu"]
    assert check("cpu-requests", POD % "500m", options={"min": "100m", "max": "1"}) == []


def test_memory_bounds_compare_binary_quantities():
    assert check("memory-requests", POD % "1", options={"min": "128Mi"})  # 64Mi < 128Mi
    assert check("memory-requests", POD % "1", options={"max": "1Gi"}) == []


def test_init_containers_need_requests_too():
    text = POD.replace("resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}", "resources: {}")
    paths = {f.path for f in check("memory-limit", text % "1")}
    assert paths == {"spec.initContainers[0].resources.limits.memory"}


@pytest.mark.parametrize("resources,problem", [
    ("{limits: {nvidia.com/gpu: 0.5}}", "whole number"),
    ("{requests: {nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 2}}", "differs from its limit"),
    ("{requests: {amd.com/gpu: 1}}", "without a limit"),
])
def test_gpu_mistakes(resources, problem):
    text = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: t}}\nspec:\n  containers:\n  - {{name: t, image: x:1, resources: {resources}}}\n"
    assert any(problem in f.message for f in check("gpu-resources", text))


def test_gpu_equal_request_and_limit_passes():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n"
            "  - {name: t, image: x:1, resources: {requests: {nvidia.com/gpu: 2}, limits: {nvidia.com/gpu: 2}}}\n")
    assert check("gpu-resources", text) == []


def test_gpu_maximum_per_environment():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n"
            "  - {name: t, image: x:1, resources: {limits: {nvidia.com/gpu: 4}}}\n")
    assert "above the maximum 2" in check("gpu-resources", text, options={"max": 2})[0].message
    assert check("gpu-resources", text, options={"max": 8}) == []
