"""Agreement corpus: real-looking manifests and the mistakes people make in them, each with the
verdict and rule we expect. Every verdict is also checked against an independent validator
(python-jsonschema via the kubernetes-validate package, on the same bundled schemas)."""
from __future__ import annotations

import copy

import kubernetes_validate
import pytest

from gitops.manifests.resource import Origin, Resource
from gitops.schema.validator import Options, Validator

VERSION = "1.33"

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
        "template": {
            "metadata": {"labels": {"app.kubernetes.io/name": "web"}},
            "spec": {
                "securityContext": {"runAsNonRoot": True},
                "containers": [{
                    "name": "web", "image": "registry.example.com/web:1.4.2",
                    "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                    "env": [{"name": "MODE", "value": "prod"}],
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                                  "limits": {"cpu": 1, "memory": "256Mi", "ephemeral-storage": "1Gi"}},
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5},
                    "livenessProbe": {"tcpSocket": {"port": 8080}},
                }],
            },
        },
    },
}
SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}
CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1"}}
INGRESS = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
           "spec": {"ingressClassName": "nginx", "rules": [{"host": "shop.example.com", "http": {"paths": [
               {"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}
CRONJOB = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report"},
           "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
               "restartPolicy": "OnFailure", "containers": [{"name": "r", "image": "r:1"}]}}}}}}
HPA = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
       "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "minReplicas": 2, "maxReplicas": 10, "metrics": [{"type": "Resource", "resource": {
                    "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}
ROLEBINDING = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "rb"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
               "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"}]}
PDB = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
       "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}}}
NETPOL = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny"},
          "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}

VALID = [DEPLOYMENT, SERVICE, CONFIGMAP, INGRESS, CRONJOB, HPA, ROLEBINDING, PDB, NETPOL]


def mutate(base: dict, path: str, value=..., delete: bool = False) -> dict:
    obj = copy.deepcopy(base)
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = obj
    for part in parts[:-1]:
        target = target[part]
    if delete:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value
    return obj


C0 = "spec.template.spec.containers.0"
# (case id, manifest, expected rule, expected path); rule None means valid.
MUTATIONS = [
    ("port-as-name", mutate(DEPLOYMENT, f"{C0}.ports.0.containerPort", "http"), "schema-type",
     "spec.template.spec.containers[0].ports[0].containerPort"),
    ("replicas-string", mutate(DEPLOYMENT, "spec.replicas", "3"), "schema-type", "spec.replicas"),
    ("env-value-number", mutate(DEPLOYMENT, f"{C0}.env.0.value", 5), "schema-type",
     "spec.template.spec.containers[0].env[0].value"),
    ("labels-list", mutate(CONFIGMAP, "metadata.labels", ["a"]), "schema-type", "metadata.labels"),
    ("missing-image-is-ok", mutate(DEPLOYMENT, f"{C0}.image", delete=True), None, ""),
    ("missing-container-name", mutate(DEPLOYMENT, f"{C0}.name", delete=True), "schema-required",
     "spec.template.spec.containers[0].name"),
    ("missing-selector", mutate(DEPLOYMENT, "spec.selector", delete=True), "schema-required", "spec.selector"),
    ("missing-ingress-backend-name", mutate(INGRESS, "spec.rules.0.http.paths.0.backend.service.name",
                                            delete=True), "schema-required",
     "spec.rules[0].http.paths[0].backend.service.name"),
    ("missing-roleref", mutate(ROLEBINDING, "roleRef", delete=True), "schema-required", "roleRef"),
    ("unknown-field-typo", mutate(DEPLOYMENT, f"{C0}.imagePullPolice", "Always"), "schema-unknown-field",
     "spec.template.spec.containers[0].imagePullPolice"),
    ("unknown-top-level", mutate(SERVICE, "status2", {}), "schema-unknown-field", "status2"),
    ("misindented-field", mutate(DEPLOYMENT, "spec.template.spec.image", "x"), "schema-unknown-field",
     "spec.template.spec.image"),
    ("wrong-apiversion-for-kind", mutate(DEPLOYMENT, "apiVersion", "v1"), "schema-missing", ""),
    ("unknown-group", mutate(DEPLOYMENT, "apiVersion", "apps/v2"), "schema-missing", ""),
    ("kind-typo", mutate(SERVICE, "kind", "Servce"), "schema-missing", ""),
    ("int-or-string-int", mutate(SERVICE, "spec.ports.0.targetPort", 8080), None, ""),
    ("int-or-string-bool", mutate(SERVICE, "spec.ports.0.targetPort", True), "schema-type",
     "spec.ports[0].targetPort"),
    ("int-or-string-percent", mutate(DEPLOYMENT, "spec.strategy.rollingUpdate.maxSurge", "50%"), None, ""),
    ("int-or-string-list", mutate(PDB, "spec.minAvailable", [1]), "schema-type", "spec.minAvailable"),
    ("quantity-number", mutate(DEPLOYMENT, f"{C0}.resources.limits.cpu", 0.5), None, ""),
    ("quantity-object", mutate(DEPLOYMENT, f"{C0}.resources.limits.memory", {"gi": 1}), "schema-quantity",
     "spec.template.spec.containers[0].resources.limits.memory"),
    ("probe-port-float", mutate(DEPLOYMENT, f"{C0}.livenessProbe.tcpSocket.port", 80.5), "schema-type",
     "spec.template.spec.containers[0].livenessProbe.tcpSocket.port"),
    ("bool-as-string", mutate(DEPLOYMENT, "spec.template.spec.securityContext.runAsNonRoot", "true"),
     "schema-type", "spec.template.spec.securityContext.runAsNonRoot"),
    ("hpa-max-string", mutate(HPA, "spec.maxReplicas", "10"), "schema-type", "spec.maxReplicas"),
    ("policy-types-string", mutate(NETPOL, "spec.policyTypes", "Ingress"), "schema-type", "spec.policyTypes"),
    ("containers-object", mutate(CRONJOB, "spec.jobTemplate.spec.template.spec.containers", {"name": "r"}),
     "schema-type", "spec.jobTemplate.spec.template.spec.containers"),
    ("null-optional", mutate(SERVICE, "spec.selector", None), None, ""),
]


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(Options(VERSION, strict=True))


def check(validator: Validator, obj: dict):
    return validator.validate(Resource(obj, Origin(file="", line=1)))


def independent_verdict(obj: dict) -> bool | None:
    """python-jsonschema on the same strict schemas; None when it has no schema for the kind."""
    try:
        kubernetes_validate.validate(obj, VERSION, strict=True)
        return True
    except kubernetes_validate.SchemaNotFoundError:
        return None
    except kubernetes_validate.ValidationError:
        return False


@pytest.mark.parametrize("obj", VALID, ids=[o["kind"] for o in VALID])
def test_real_looking_manifests_are_valid(validator, obj):
    outcome = check(validator, obj)
    assert (outcome.status, outcome.findings) == ("valid", [])
    assert independent_verdict(obj) is True


@pytest.mark.parametrize("case,obj,rule,path", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_mistake_gets_the_expected_verdict(validator, case, obj, rule, path):
    outcome = check(validator, obj)
    errors = [f for f in outcome.findings if f.severity == "error"]
    if rule is None:
        assert outcome.status == "valid" and errors == [], errors
        assert independent_verdict(obj) is True
        return
    assert rule in {f.rule for f in errors}, errors
    assert path in {f.path for f in errors if f.rule == rule}
    expected_independent = None if rule == "schema-missing" else False
    assert independent_verdict(obj) is expected_independent


def test_messages_say_what_was_expected_and_what_was_found(validator):
    outcome = check(validator, MUTATIONS[0][1])
    assert [f.message for f in outcome.findings] == ['expected integer, got string "http"']
    typo = check(validator, mutate(DEPLOYMENT, f"{C0}.imagePullPolice", "Always")).findings[0]
    assert typo.message == 'unknown field "imagePullPolice"' and "imagePullPolicy" in typo.hint


def test_quantity_text_is_checked_beyond_the_schema(validator):
    bad = mutate(DEPLOYMENT, f"{C0}.resources.requests.cpu", "1 core")
    [finding] = check(validator, bad).findings
    assert (finding.rule, finding.message) == ("schema-quantity", '"1 core" is not a quantity')
    for good in ("500m", "1.5", "2Gi", "1e3", "+1", ".5", "100n"):
        # Well-formed quantities; some exceed the CPU limit, which the API-server checks report.
        findings = check(validator, mutate(DEPLOYMENT, f"{C0}.resources.requests.cpu", good)).findings
        assert not any(f.rule == "schema-quantity" for f in findings), good


def test_no_strict_accepts_unknown_fields_but_not_wrong_types():
    relaxed = Validator(Options(VERSION, strict=False))
    assert check(relaxed, mutate(DEPLOYMENT, f"{C0}.imagePullPolice", "Always")).status == "valid"
    assert check(relaxed, MUTATIONS[0][1]).status == "invalid"
