"""API currency: every rule's failing and passing example, and the target version deciding."""
import pytest

from .helpers import assert_examples, check, family

PDB_BETA = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: x}\nspec: {maxUnavailable: 1}\n"


@pytest.mark.parametrize("rule_id", family("api-currency"))
def test_examples(rule_id):
    assert_examples(rule_id)


def test_target_version_decides_removed_or_deprecated():
    assert check("api-removed", PDB_BETA, kubernetes_version="1.24") == []
    assert check("api-deprecated", PDB_BETA, kubernetes_version="1.24")
    assert check("api-removed", PDB_BETA, kubernetes_version="1.25")
    assert check("api-deprecated", PDB_BETA, kubernetes_version="1.25") == []
    assert check("api-deprecated", PDB_BETA, kubernetes_version="1.20") == []


def test_whole_group_version_entry_applies_to_every_kind():
    text = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\n"
    assert "networking.k8s.io/v1" in check("api-removed", text)[0].hint
