"""Synthesis through cdk8s: the objects each spec produces, names, labels, and their origins."""
from __future__ import annotations

import yaml

from gitops import App, Autoscaling, Ingress, Port, Probe, Resources
from gitops.config import Config
from gitops.policy.api import Context
from gitops.policy.engine import run_rule
from gitops.policy.registry import all_rules
from gitops.synth.pipeline import synthesize, targets_for
from gitops.spec.loader import LoadedApp


def synth(*apps: App, envs=("dev",)):
    from gitops.config import Environment

    config = Config(root="/nonexistent", environments=tuple(Environment(e) for e in envs))
    targets = targets_for(config, [LoadedApp(a, "apps/x.py", 7) for a in apps])
    result = synthesize(config, use_cache=False, targets=targets)
    return {path: yaml.safe_load(text) for path, text in result.files.items()}, result


def test_a_full_app_produces_every_kind_with_readable_names_and_labels():
    app = App(name="api", image="reg.example.com/api:3.1.0", ports=[Port(name="http", port=8080, service_port=80)],
              config={"LOG_LEVEL": "info"}, resources=Resources(cpu="250m", memory="256Mi"),
              readiness=Probe.http("/ready"), ingress=Ingress(host="api.example.com", tls_secret="api-tls"),
              autoscaling=Autoscaling(min_replicas=2, max_replicas=5))
    files, _ = synth(app)
    assert sorted(files) == [f"dev/api/{f}" for f in (
        "configmap-api.yaml", "deployment-api.yaml", "horizontalpodautoscaler-api.yaml", "ingress-api.yaml",
        "kustomization.yaml", "namespace-api-dev.yaml", "poddisruptionbudget-api.yaml", "service-api.yaml",
        "serviceaccount-api.yaml")]
    deploy = files["dev/api/deployment-api.yaml"]
    assert deploy["metadata"] == {
        "name": "api", "namespace": "api-dev",
        "labels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api-dev",
                   "app.kubernetes.io/version": "3.1.0", "app.kubernetes.io/component": "server",
                   "app.kubernetes.io/part-of": "api", "app.kubernetes.io/managed-by": "gitops"}}
    assert "replicas" not in deploy["spec"], "an HPA owns the replica count"
    assert deploy["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "api",
                                                         "app.kubernetes.io/instance": "api-dev"}
    pod = deploy["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["resources"] == {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "256Mi"}}
    assert container["envFrom"] == [{"configMapRef": {"name": "api"}}]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["automountServiceAccountToken"] is False and pod["serviceAccountName"] == "api"
    assert files["dev/api/service-api.yaml"]["spec"]["ports"] == [
        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}]
    ingress = files["dev/api/ingress-api.yaml"]["spec"]
    assert ingress["rules"][0]["http"]["paths"][0]["backend"] == {"service": {"name": "api", "port": {"name": "http"}}}
    assert ingress["tls"] == [{"hosts": ["api.example.com"], "secretName": "api-tls"}]
    hpa = files["dev/api/horizontalpodautoscaler-api.yaml"]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}
    assert files["dev/api/poddisruptionbudget-api.yaml"]["spec"]["maxUnavailable"] == 1
    kust = files["dev/api/kustomization.yaml"]
    assert kust["resources"] == sorted(f.split("/")[-1] for f in files if not f.endswith("kustomization.yaml"))


def test_single_replica_app_has_no_pdb_and_keeps_replicas():
    files, _ = synth(App(name="one", image="one:1", ports=[80]))
    assert "dev/one/poddisruptionbudget-one.yaml" not in files
    assert files["dev/one/deployment-one.yaml"]["spec"]["replicas"] == 1
    assert "configmap-one.yaml" not in " ".join(files)


def test_headless_service_and_worker_without_service():
    files, _ = synth(App(name="db", image="db:1", ports=[5432], service="Headless"),
                     App(name="worker", image="w:1", service=None))
    assert files["dev/db/service-db.yaml"]["spec"]["clusterIP"] == "None"
    assert not any(f.startswith("dev/worker/service-") for f in files)


def test_progress_deadline_covers_a_slow_startup():
    slow = App(name="model", image="m:1", ports=[8000],
               startup=Probe.http("/healthz", period_seconds=10, failure_threshold=90))
    files, _ = synth(slow)
    assert files["dev/model/deployment-model.yaml"]["spec"]["progressDeadlineSeconds"] == 900 + 120


def test_the_raised_deadline_counts_readiness_as_the_rollout_rule_does():
    """One sum (gitops/manifests/probes.py) for synthesis and rollout-progress-deadline: a readiness
    probe that needs three successes counts three periods in both."""
    slow = App(name="model", image="m:1", ports=[8000],
               startup=Probe.http("/healthz", period_seconds=10, failure_threshold=90),
               readiness=Probe.http("/ready", initial_delay_seconds=5, period_seconds=20, success_threshold=3))
    files, result = synth(slow)
    assert files["dev/model/deployment-model.yaml"]["spec"]["progressDeadlineSeconds"] == 900 + 5 + 3 * 20 + 120
    rule = all_rules()["rollout-progress-deadline"]
    resources = tuple(result.resources())
    # with no margin left over, the rule's own sum must fit exactly
    ctx = Context(resources=resources, options={**rule.options, "margin_seconds": 120}, severity=rule.severity)
    assert run_rule(rule, ctx, resources) == []
    ctx = Context(resources=resources, options={**rule.options, "margin_seconds": 121}, severity=rule.severity)
    assert [f.rule for f in run_rule(rule, ctx, resources)] == ["rollout-progress-deadline"]


def test_every_resource_remembers_its_spec():
    _, result = synth(App(name="one", image="one:1", ports=[80]), envs=("dev", "prod"))
    resources = result.resources()
    assert {(r.origin.env, r.origin.spec_file, r.origin.spec_line) for r in resources} == {
        ("dev", "apps/x.py", 7), ("prod", "apps/x.py", 7)}
    assert all(r.origin.file.startswith(f"generated/{r.origin.env}/one/") for r in resources)


def test_no_construct_hashes_in_names():
    files, _ = synth(App(name="plain", image="p:1", ports=[80]))
    names = {doc["metadata"]["name"] for path, doc in files.items() if "kustomization" not in path}
    assert names == {"plain", "plain-dev"}
