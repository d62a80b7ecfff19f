"""Network exposure rules: examples, and the cases that decide them."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("network"))
def test_examples(rule_id):
    assert_examples(rule_id)


def service(extra: str, annotations: str = "{}") -> str:
    return (f"apiVersion: v1\nkind: Service\nmetadata: {{name: s, namespace: shop, annotations: {annotations}}}\n"
            f"spec:\n  selector: {{app: s}}\n  ports: [{{port: 443}}]\n  {extra}\n")


@pytest.mark.parametrize("extra,annotations,fails", [
    ("type: NodePort", "{}", True),
    ("type: LoadBalancer", "{}", True),
    ("type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]", "{}", False),
    ("type: LoadBalancer", "{networking.gke.io/load-balancer-type: Internal}", False),
    ("type: LoadBalancer", "{service.beta.kubernetes.io/aws-load-balancer-scheme: internal}", False),
    ("type: LoadBalancer", "{service.beta.kubernetes.io/azure-load-balancer-internal: 'true'}", False),
    ("type: ClusterIP", "{}", False),
])
def test_exposed_services(extra, annotations, fails):
    assert bool(check("service-exposed", service(extra, annotations))) is fails


@pytest.mark.parametrize("port,fails", [(80, True), (1023, True), (1024, False), (8080, False)])
def test_privileged_ports(port, fails):
    pod = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: c, image: x:1, " \
          f"ports: [{{containerPort: {port}}}]}}]\n"
    assert bool(check("privileged-ports", pod)) is fails


@pytest.mark.parametrize("key,fails", [
    ("nginx.ingress.kubernetes.io/server-snippet", True), ("nginx.ingress.kubernetes.io/auth-snippet", True),
    ("nginx.ingress.kubernetes.io/configuration-snippet", True), ("nginx.ingress.kubernetes.io/rewrite-target", False),
    ("example.com/server-snippet", False),
])
def test_ingress_snippets(key, fails):
    ing = f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations: {{{key}: x}}\n" \
          "spec: {tls: [{secretName: t}]}\n"
    found = check("ingress-snippets", ing)
    assert bool(found) is fails
    assert all(key in f.path for f in found)


def test_network_policy_selecting_nothing_and_everything():
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop, labels: {app: api}}\n" \
          "spec: {containers: [{name: api, image: x:1}]}\n"
    policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\n" \
             "spec: {podSelector: SELECTOR, policyTypes: [Ingress]}\n"
    assert check("network-policy-selects", pod + "---\n" + policy.replace("SELECTOR", "{}")) == []
    assert check("network-policy-selects", pod + "---\n" + policy.replace("SELECTOR", "{matchLabels: {app: api}}")) == []
    assert check("network-policy-selects", pod + "---\n" + policy.replace("SELECTOR", "{matchLabels: {app: web}}"))
