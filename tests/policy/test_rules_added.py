"""Rules added for issue 14 outside the rbac and network families: the cases their examples miss."""
import pytest

from .helpers import check


def test_pdb_policy_and_unhealthy_eviction():
    pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {selector: {matchLabels: {a: b}}}\n"
    assert [f.path for f in check("pdb-has-policy", pdb)] == ["spec"]
    assert check("pdb-has-policy", pdb.replace("spec: {", "spec: {minAvailable: 0, ")) == []  # set, if odd
    assert check("pdb-unhealthy-eviction", pdb)
    assert check("pdb-unhealthy-eviction", pdb.replace("policy/v1", "policy/v1beta1")) == []  # no such field there


@pytest.mark.parametrize("kind,fails", [("ConfigMap", True), ("Role", False), ("RoleBinding", False)])
def test_default_namespace_spares_rbac_granting_access_to_it(kind, fails):
    obj = f"apiVersion: v1\nkind: {kind}\nmetadata: {{name: x, namespace: default}}\n"
    assert bool(check("default-namespace", obj)) is fails


@pytest.mark.parametrize("spec,fails", [
    ("{containers: [{name: c, image: x:1}]}", True),
    ("{serviceAccountName: default, containers: [{name: c, image: x:1}]}", True),
    ("{automountServiceAccountToken: false, containers: [{name: c, image: x:1}]}", False),
    ("{serviceAccountName: api, containers: [{name: c, image: x:1}]}", False),
])
def test_default_service_account(spec, fails):
    assert bool(check("default-service-account", f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec: {spec}\n")) \
        is fails


def test_instance_label_only_compares_when_both_carry_it():
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {LABELS}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: x:1}]}
"""
    assert check("instance-label", deployment.replace("LABELS", "app.kubernetes.io/instance: shop")) == []
