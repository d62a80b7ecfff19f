"""Health and rollout rules: every rule's failing and passing example, plus replica counting."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("health"))
def test_examples(rule_id):
    assert_examples(rule_id)


def deployment(replicas="", extra_spec="", pod_extra=""):
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: ns}}
spec:
  {replicas}
  {extra_spec}
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      {pod_extra}
      containers: [{{name: api, image: x:1, ports: [{{name: http, containerPort: 8080}}]}}]
"""


HPA = """
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: ns}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, minReplicas: 3, maxReplicas: 9}
"""
PDB = """
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: %s}
spec: {minAvailable: %s, selector: {matchLabels: {app: api}}}
"""


def test_hpa_minimum_counts_as_replicas():
    assert check("pod-disruption-budget", deployment() + HPA)  # 1 replica by spec, 3 by the HPA
    assert check("pod-disruption-budget", deployment()) == []


def test_pdb_must_share_the_namespace():
    assert check("pod-disruption-budget", deployment("replicas: 2") + PDB % ("other", 1))
    assert check("pod-disruption-budget", deployment("replicas: 2") + PDB % ("ns", 1)) == []


def test_min_available_at_replicas_blocks_eviction():
    found = check("pdb-allows-eviction", deployment("replicas: 3") + PDB % ("ns", 3))
    assert "not below the 3 replicas" in found[0].message
    assert check("pdb-allows-eviction", deployment("replicas: 3") + PDB % ("ns", 2)) == []
    assert check("pdb-allows-eviction", deployment() + HPA + PDB % ("ns", 3))  # against the HPA minimum


def test_recreate_with_replicas_and_percentages():
    assert check("rolling-update-capacity", deployment("replicas: 2", "strategy: {type: Recreate}"))
    assert check("rolling-update-capacity", deployment("replicas: 4", "strategy: {rollingUpdate: {maxUnavailable: 100%}}"))
    assert check("rolling-update-capacity", deployment("replicas: 4", "strategy: {rollingUpdate: {maxUnavailable: 50%}}")) == []
    assert check("rolling-update-capacity", deployment("replicas: 1", "strategy: {type: Recreate}")) == []


def test_anti_affinity_counts_as_spread():
    affinity = ("affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: "
                "[{weight: 1, podAffinityTerm: {topologyKey: kubernetes.io/hostname}}]}}")
    assert check("pod-spread", deployment("replicas: 2", pod_extra=affinity)) == []
    assert check("pod-spread", deployment("replicas: 2"))


def test_jobs_need_no_probes():
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n"
           "      restartPolicy: Never\n      containers: [{name: j, image: x:1, ports: [{containerPort: 80}]}]\n")
    assert check("readiness-probe", job) == [] and check("liveness-probe", job) == []


def test_numeric_probe_port_must_be_declared():
    text = deployment(pod_extra="").replace("ports: [{name: http, containerPort: 8080}]",
                                            "ports: [{name: http, containerPort: 8080}], livenessProbe: {tcpSocket: {port: 9090}}")
    assert check("probe-ports", text)[0].path == "spec.template.spec.containers[0].livenessProbe.tcpSocket.port"


def test_min_replicas_option():
    assert check("min-replicas", deployment("replicas: 2"), options={"min": 3})
    assert check("min-replicas", deployment() + HPA, options={"min": 3}) == []
