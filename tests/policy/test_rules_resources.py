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
