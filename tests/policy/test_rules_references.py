"""Reference rules: every rule's failing and passing example, plus external and optional objects."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("references"))
def test_examples(rule_id):
    assert_examples(rule_id)


POD = """
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: ns, labels: {app: api}}
spec:
  serviceAccountName: api
  volumes:
  - {name: c, secret: {secretName: tls}}
  - {name: d, persistentVolumeClaim: {claimName: data}}
  - {name: e, configMap: {name: maybe, optional: true}}
  containers:
  - name: api
    image: x:1
    env: [{name: A, valueFrom: {secretKeyRef: {name: db, key: url}}}]
    ports: [{name: http, containerPort: 8080}]
"""


def test_every_reference_kind_is_checked():
    found = {f.message for f in check("pod-references", POD)}
    assert found == {"uses ServiceAccount 'api', which is not in the set", "uses Secret 'tls', which is not in the set",
                     "uses PersistentVolumeClaim 'data', which is not in the set",
                     "uses Secret 'db', which is not in the set"}


def test_external_globs():
    external = ["Secret/*", "ServiceAccount/api", "PersistentVolumeClaim/data"]
    assert check("pod-references", POD, options={"external": external}) == []


def test_objects_in_another_namespace_do_not_count():
    other = "\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: other}\n"
    assert any("ServiceAccount" in f.message for f in check("pod-references", POD + other))


def test_service_numeric_target_port():
    svc = "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: ns}\nspec: {selector: {app: api}, ports: [{port: 80, targetPort: %s}]}\n"
    assert check("service-ports", POD + svc % 9999)
    assert check("service-ports", POD + svc % 8080) == []


def test_ingress_port_number():
    text = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api}
spec:
  defaultBackend: {service: {name: api, port: {number: 8080}}}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {ports: [{port: 80}]}
"""
    assert "has no port 8080" in check("ingress-backend", text)[0].message


def test_network_policy_with_empty_selector_covers_namespace():
    policy = "\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all, namespace: ns}\nspec: {podSelector: {}}\n"
    assert check("network-policy", POD + policy) == []


def test_duplicate_port_numbers():
    text = POD.replace("ports: [{name: http, containerPort: 8080}]",
                       "ports: [{name: http, containerPort: 8080}, {name: web, containerPort: 8080}]")
    assert "declared twice" in check("container-names", text)[0].message
