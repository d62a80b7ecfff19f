"""Autoscaling rules: every rule's failing and passing example, plus target requests."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("scaling"))
def test_examples(rule_id):
    assert_examples(rule_id)


HPA = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: ns}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: %s}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: x:1, resources: {requests: {%s}}}]}
"""


def test_target_must_request_the_measured_resource():
    found = check("hpa-target", HPA % ("ns", "cpu: 1"))
    assert "requests no memory" in found[0].message
    assert check("hpa-target", HPA % ("ns", "memory: 1Gi")) == []


def test_target_in_another_namespace_is_missing():
    assert "is not in the set" in check("hpa-target", HPA % ("other", "memory: 1Gi"))[0].message


def test_min_replicas_below_one():
    text = (HPA % ("ns", "memory: 1Gi")).replace("minReplicas: 2", "minReplicas: 0")
    assert "below 1" in check("hpa-bounds", text)[0].message
