"""Metadata rules: every rule's failing and passing example, plus options."""
import pytest

from .helpers import assert_examples, check, family

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {team: a}}\n"


@pytest.mark.parametrize("rule_id", family("metadata"))
def test_examples(rule_id):
    assert_examples(rule_id)


def test_required_labels_options():
    assert [f.message for f in check("required-labels", CM, options={"labels": ["team", "owner"]})] == \
        ["label owner is missing"]
    assert check("required-labels", CM, options={"labels": ["owner"], "kinds": ["Deployment"]}) == []


def test_cluster_scoped_kinds_need_no_namespace():
    assert check("namespace-set", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n") == []
    crd_object = "apiVersion: acme.io/v1\nkind: Cluster\nmetadata: {name: x}\n"
    assert check("namespace-set", crd_object)
    assert check("namespace-set", crd_object, options={"cluster_scoped": ["Cluster"]}) == []
