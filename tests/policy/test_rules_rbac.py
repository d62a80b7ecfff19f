"""RBAC rules: every rule's examples, plus the cases peers and the issue name."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("rbac"))
def test_examples(rule_id):
    assert_examples(rule_id)


def role(rules: str, kind: str = "Role", name: str = "r") -> str:
    ns = "\n  namespace: shop" if kind == "Role" else ""
    return f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {name}{ns}\nrules:\n{rules}\n"


def binding(role_kind: str, role_name: str, subjects: str, kind: str = "RoleBinding", name: str = "b") -> str:
    ns = "\n  namespace: shop" if kind == "RoleBinding" else ""
    return (f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {name}{ns}\n"
            f"roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role_kind}, name: {role_name}}}\n"
            f"subjects:\n{subjects}\n")


SA = "- {kind: ServiceAccount, name: api, namespace: shop}"


@pytest.mark.parametrize("rule,fields", [
    ('- {apiGroups: ["*"], resources: [pods], verbs: [get]}', ["apiGroups"]),
    ('- {apiGroups: [""], resources: ["*"], verbs: ["*"]}', ["verbs", "resources"]),
    ('- {nonResourceURLs: ["*"], verbs: [get]}', []),  # non-resource URLs: not objects
])
def test_wildcards(rule, fields):
    found = check("rbac-wildcard", role(rule, "ClusterRole"))
    assert sorted(f.path.rsplit(".", 1)[1] for f in found) == sorted(fields)


@pytest.mark.parametrize("rule,fails", [
    ('- {apiGroups: [""], resources: [secrets], verbs: [get]}', True),
    ('- {apiGroups: [""], resources: [secrets], verbs: [watch], resourceNames: [one]}', True),
    ('- {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [one]}', False),
    ('- {apiGroups: [""], resources: [secrets], verbs: [create, delete]}', False),
    ('- {apiGroups: [apps], resources: [secrets], verbs: [get]}', False),  # no Secrets in that group
    ('- {apiGroups: ["*"], resources: ["*"], verbs: [list]}', True),
])
def test_secret_access(rule, fails):
    assert bool(check("rbac-secrets", role(rule))) is fails


@pytest.mark.parametrize("verbs,fails", [("[impersonate]", True), ("[bind]", True), ("[escalate, get]", True),
                                         ("[get, list]", False)])
def test_escalation_verbs(verbs, fails):
    rule = f'- {{apiGroups: [""], resources: [users, groups, serviceaccounts], verbs: {verbs}}}'
    assert bool(check("rbac-escalation", role(rule, "ClusterRole"))) is fails


@pytest.mark.parametrize("resources,verbs,fails", [
    ("[pods/exec]", "[create]", True), ("[pods/attach]", "[get]", True), ("[pods/exec]", "[list]", False),
    ("[pods/log]", "[get]", False), ("[pods/*]", "[create]", True),
])
def test_pod_exec_and_attach(resources, verbs, fails):
    rule = f'- {{apiGroups: [""], resources: {resources}, verbs: {verbs}}}'
    assert bool(check("rbac-pod-exec", role(rule))) is fails


@pytest.mark.parametrize("rule,made", [
    ('- {apiGroups: [""], resources: [pods], verbs: [create]}', "pods"),
    ('- {apiGroups: [apps], resources: [deployments, services], verbs: [create, update]}', "deployments"),
    ('- {apiGroups: [batch], resources: [jobs], verbs: [get]}', None),
    ('- {apiGroups: [""], resources: [configmaps], verbs: [create]}', None),
])
def test_create_pods_or_workloads(rule, made):
    found = check("rbac-create-pods", role(rule))
    assert (made in found[0].message) if made else found == []


def test_cluster_admin_bindings_of_either_kind():
    assert check("rbac-cluster-admin", binding("ClusterRole", "cluster-admin", SA))
    assert check("rbac-cluster-admin", binding("ClusterRole", "cluster-admin", SA, "ClusterRoleBinding"))
    assert check("rbac-cluster-admin", binding("ClusterRole", "admin", SA)) == []


@pytest.mark.parametrize("subject,rule_id,fails", [
    ("- {kind: ServiceAccount, name: default, namespace: shop}", "rbac-default-service-account", True),
    ("- {kind: ServiceAccount, name: default}", "rbac-default-service-account", True),
    (SA, "rbac-default-service-account", False),
    ("- {kind: User, name: system:anonymous, apiGroup: rbac.authorization.k8s.io}", "rbac-anonymous", True),
    ("- {kind: Group, name: system:unauthenticated, apiGroup: rbac.authorization.k8s.io}", "rbac-anonymous", True),
    ("- {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}", "rbac-anonymous", False),
])
def test_subjects(subject, rule_id, fails):
    assert bool(check(rule_id, binding("ClusterRole", "view", subject))) is fails


def test_bindings_to_missing_roles():
    rb = binding("Role", "reader", SA)
    assert check("rbac-missing-role", rb)
    assert check("rbac-missing-role", rb + "---\n" + role('- {apiGroups: [""], resources: [pods], verbs: [get]}',
                                                           name="reader")) == []
    assert check("rbac-missing-role", binding("ClusterRole", "edit", SA)) == []  # built in
    assert check("rbac-missing-role", binding("ClusterRole", "system:auth-delegator", SA)) == []
    assert check("rbac-missing-role", binding("ClusterRole", "monitoring-reader", SA))
    reader = binding("Role", "extension-apiserver-authentication-reader", SA).replace("namespace: shop\nroleRef",
                                                                                       "namespace: kube-system\nroleRef")
    assert check("rbac-missing-role", reader) == []  # made by the bootstrap policy
    assert check("rbac-missing-role", binding("ClusterRole", "monitoring-reader", SA),
                 options={"external": ["ClusterRole/monitoring-*"]}) == []


def test_unused_roles():
    reader = role('- {apiGroups: [""], resources: [pods], verbs: [get]}', "ClusterRole", "reader")
    assert [f.resource for f in check("rbac-unused-role", reader)] == ["ClusterRole/reader"]
    # a RoleBinding may use a ClusterRole in its namespace
    assert check("rbac-unused-role", reader + "---\n" + binding("ClusterRole", "reader", SA)) == []
    aggregated = reader.replace("name: reader", "name: reader\n  labels: "
                                "{rbac.authorization.k8s.io/aggregate-to-view: 'true'}")
    assert check("rbac-unused-role", aggregated) == []
    # a Role bound in another namespace is still unused here
    other = binding("Role", "r", SA).replace("namespace: shop\nroleRef", "namespace: other\nroleRef")
    assert check("rbac-unused-role", role('- {apiGroups: [""], resources: [pods], verbs: [get]}') + "---\n" + other)
