"""The delivery rules' documented examples: each fails on its failing example and passes on its
passing one (the same loop as every other family, see tests/policy/helpers.py)."""
import pytest

from .helpers import assert_examples, family


@pytest.mark.parametrize("rule_id", family("delivery"))
def test_documented_examples(rule_id):
    assert_examples(rule_id)
