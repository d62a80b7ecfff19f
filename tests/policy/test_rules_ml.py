"""The ML policy rules (gitops/policy/rules/ml.py), called directly with a Context: each fails on a
broken shape and passes on the fixed one; their docstring examples agree; the examples in apps/
pass every one of them in every environment."""
from __future__ import annotations

import copy
import inspect
import re

import pytest
import yaml

from gitops.config import load as load_config
from gitops.docs.workloads import EXAMPLES
from gitops.manifests.resource import Origin, Resource
from gitops.synth.pipeline import synthesize
from gitops.policy.api import Context
from gitops.policy.engine import run_rule
from gitops.policy.registry import all_rules
from gitops.policy.rules import ml

RULES = {rule.ID: rule for rule in ml.RULES}
EXAMPLE = re.compile(r"^(Fails|Passes)\b[^\n]*:\s*\n+```yaml\n(.*?)^```", re.S | re.M)


def run(rule_id: str, *objects: dict, **options) -> list:
    rule = all_rules()[rule_id]
    resources = tuple(Resource(o, Origin(file="t.yaml", doc_index=i)) for i, o in enumerate(objects))
    ctx = Context(resources=resources, options={**rule.options, **options}, severity=rule.severity)
    return run_rule(rule, ctx, resources)


def pod(spec: dict, kind: str = "Pod") -> dict:
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": "p", "namespace": "ns"}, "spec": spec}


def gpu_container(requests=None, limits=None) -> dict:
    return {"name": "c", "image": "i:1", "resources": {k: v for k, v in (("requests", requests), ("limits", limits)) if v}}


GPU_PLACED = {"nodeSelector": {"nvidia.com/gpu.present": "true"},
              "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]}


def training_job(**spec_overrides) -> dict:
    spec = {"completionMode": "Indexed", "completions": 2, "parallelism": 2,
            "activeDeadlineSeconds": 3600, "ttlSecondsAfterFinished": 60,
            "template": {"spec": {"subdomain": "train", "restartPolicy": "Never",
                                  "containers": [{"name": "c", "image": "i:1",
                                                  "volumeMounts": [{"name": "dshm", "mountPath": "/dev/shm"}]}],
                                  "volumes": [{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}}]}}}
    spec.update(spec_overrides)
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "train", "namespace": "ns", "labels": {"app.kubernetes.io/component": "training"}},
            "spec": spec}


HEADLESS = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "train", "namespace": "ns"},
            "spec": {"clusterIP": "None"}}


def test_gpu_whole_devices():
    ok = pod({"containers": [gpu_container({"nvidia.com/gpu": "2"}, {"nvidia.com/gpu": "2"})]})
    assert run("gpu-whole-devices", ok) == []
    assert run("gpu-whole-devices", pod({"containers": [gpu_container(limits={"nvidia.com/gpu": 1})]})) == []
    fraction = pod({"containers": [gpu_container({"nvidia.com/gpu": "0.5"}, {"nvidia.com/gpu": "0.5"})]})
    assert [f.path for f in run("gpu-whole-devices", fraction)] == [
        "spec.containers[0].resources.limits", "spec.containers[0].resources.requests"]
    unequal = pod({"containers": [gpu_container({"nvidia.com/gpu": "1"}, {"nvidia.com/gpu": "2"})]})
    [finding] = run("gpu-whole-devices", unequal)
    assert "differs from its limit" in finding.message and finding.rule == "gpu-whole-devices"
    no_limit = pod({"containers": [gpu_container({"amd.com/gpu": "1"})]})
    assert "without a limit" in run("gpu-whole-devices", no_limit)[0].message


def test_gpu_node_placement():
    bare = pod({"containers": [gpu_container(limits={"nvidia.com/gpu": "1"})]})
    assert {f.path for f in run("gpu-node-placement", bare)} == {"spec.tolerations", "spec.nodeSelector"}
    assert run("gpu-node-placement", pod({**GPU_PLACED, "containers": bare["spec"]["containers"]})) == []
    by_affinity = pod({"tolerations": [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "present"}],
                       "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                           "nodeSelectorTerms": [{"matchExpressions": [
                               {"key": "cloud.google.com/gke-accelerator", "operator": "Exists"}]}]}}},
                       "containers": bare["spec"]["containers"]})
    assert run("gpu-node-placement", by_affinity) == []
    cpu_only = pod({"containers": [{"name": "c", "image": "i:1"}]})
    assert run("gpu-node-placement", cpu_only) == []


def test_training_shm_size():
    assert run("training-shm-size", training_job()) == []
    no_shm = training_job()
    del no_shm["spec"]["template"]["spec"]["volumes"]
    assert "no memory-backed /dev/shm" in run("training-shm-size", no_shm)[0].message
    unsized = copy.deepcopy(training_job())
    unsized["spec"]["template"]["spec"]["volumes"][0]["emptyDir"] = {"medium": "Memory"}
    assert "no sizeLimit" in run("training-shm-size", unsized)[0].message
    plain_job = training_job()
    plain_job["metadata"]["labels"] = {}
    del plain_job["spec"]["template"]["spec"]["volumes"]
    assert run("training-shm-size", plain_job) == [], "a Job that is not training is not checked"


def test_training_indexed_completion():
    assert run("training-indexed-completion", training_job(), HEADLESS) == []
    findings = run("training-indexed-completion", training_job(completionMode="NonIndexed", completions=4))
    assert {f.path for f in findings} == {"spec.completionMode", "spec.parallelism", "spec.template.spec.subdomain"}
    not_headless = {**HEADLESS, "spec": {"clusterIP": "10.0.0.1"}}
    assert [f.path for f in run("training-indexed-completion", training_job(), not_headless)] == [
        "spec.template.spec.subdomain"]


def test_startup_probe_not_delay():
    slow = pod({"containers": [{"name": "c", "image": "i:1",
                                "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 240}}]})
    [finding] = run("startup-probe-not-delay", slow)
    assert finding.path == "spec.containers[0].readinessProbe.initialDelaySeconds"
    assert run("startup-probe-not-delay", slow, max_initial_delay_seconds=300) == []
    fixed = pod({"containers": [{"name": "c", "image": "i:1",
                                 "startupProbe": {"httpGet": {"path": "/", "port": 80}, "failureThreshold": 30},
                                 "readinessProbe": {"httpGet": {"path": "/", "port": 80}}}]})
    assert run("startup-probe-not-delay", fixed) == []


def test_progress_deadline_covering_startup_is_the_delivery_rule():
    # One rule for it (rollout-progress-deadline, which also counts readiness and minReadySeconds),
    # so a slow model server is reported once.
    from gitops.policy.registry import all_rules

    rules = all_rules()
    assert "rollout-progress-deadline" in rules and "progress-deadline-covers-startup" not in rules


def test_job_deadline_and_ttl():
    assert run("job-deadline-and-ttl", training_job()) == []
    bare = training_job()
    del bare["spec"]["activeDeadlineSeconds"], bare["spec"]["ttlSecondsAfterFinished"]
    assert {f.path for f in run("job-deadline-and-ttl", bare)} == {"spec.activeDeadlineSeconds",
                                                                   "spec.ttlSecondsAfterFinished"}
    cron = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
            "spec": {"schedule": "@daily", "jobTemplate": {"spec": bare["spec"]}}}
    # a CronJob's history limits clean up its Jobs: only the deadline is asked for
    assert {f.path for f in run("job-deadline-and-ttl", cron)} == {"spec.jobTemplate.spec.activeDeadlineSeconds"}


def test_cronjob_concurrency():
    cron = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
            "spec": {"schedule": "@daily", "jobTemplate": {"spec": training_job()["spec"]}}}
    assert {f.path for f in run("cronjob-concurrency", cron)} == {"spec.concurrencyPolicy",
                                                                  "spec.startingDeadlineSeconds"}
    cron["spec"].update(concurrencyPolicy="Forbid", startingDeadlineSeconds=300)
    assert run("cronjob-concurrency", cron) == []


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_docstring_examples_fail_and_pass(rule_id):
    rule = RULES[rule_id]
    examples = {m.group(1): m.group(2) for m in EXAMPLE.finditer(inspect.cleandoc(rule.__doc__))}
    assert set(examples) == {"Fails", "Passes"}
    for verdict, text in examples.items():
        findings = run(rule_id, *[d for d in yaml.safe_load_all(text) if d])
        assert bool(findings) == (verdict == "Fails"), (verdict, [f.message for f in findings])
        assert all(f.rule == rule_id for f in findings)


def test_rule_ids_are_unique_and_follow_the_contract():
    assert len(RULES) == len(ml.RULES)
    for rule in ml.RULES:
        assert re.match(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", rule.ID) and rule.TITLE and rule.SCOPE == "resource"
        assert rule.SEVERITY in ("error", "warning", "info")


def test_the_examples_pass_every_ml_rule_in_every_environment():
    config = load_config(EXAMPLES)  # the tool's own examples, not this repository's apps/
    synthesis = synthesize(config, use_cache=False)
    resources = tuple(synthesis.resources())
    assert {r.origin.env for r in resources} == {"dev", "prod"}
    findings = []
    for module in ml.RULES:
        rule = all_rules()[module.ID]
        ctx = Context(resources=resources, options=dict(rule.options), severity=rule.severity)
        findings += [f"{f.resource} ({f.origin.env}): {f.rule}: {f.message}" for f in run_rule(rule, ctx, resources)]
    assert findings == []
    gpu_pods = [r for r in resources if r.kind in ("Deployment", "Job") and "nvidia.com/gpu" in str(r.obj)]
    assert len(gpu_pods) >= 4, "the GPU examples are there to be checked"
