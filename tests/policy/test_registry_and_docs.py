"""The registry (explicit, no duplicate ids, data rules), generated docs/rules.md, and the peer table."""
import types
from pathlib import Path

import pytest

from gitops.policy import docs
from gitops.policy.peers import PEERS
from gitops.policy.registry import all_rules, build, data_rule, load_data_rules
from gitops.policy.rules import MODULES, images

HERE = Path(__file__).resolve().parent


def test_duplicate_ids_are_refused():
    twin = types.ModuleType("gitops.policy.rules.twin")
    twin.RULES = [images.ImageTag]
    with pytest.raises(ValueError, match="'image-tag' is registered twice"):
        build([images, twin])


def test_a_single_rule_module_registers_like_a_family():
    one = types.ModuleType("gitops.policy.rules.ml")
    one.ID, one.DESCRIPTION, one.SEVERITY, one.SCOPE = "gpu-toleration", "GPU pods tolerate the GPU taint", "error", "resource"
    one.check = lambda res, ctx: iter(())
    one.__doc__ = "Doc."
    registry = build(MODULES + [one], load_data_rules())
    assert registry["gpu-toleration"].family == "ml"


def test_data_rule_needs_its_fields():
    with pytest.raises(ValueError, match="missing"):
        data_rule({"id": "x", "target": "container"}, "x.yaml")


def test_every_family_has_its_test_file():
    tests = [p.name for p in HERE.parent.rglob("test_*.py")]
    for family in {r.family for r in all_rules().values()}:
        name = family.replace("-", "_")
        assert any(name in t and "rule" in t for t in tests), f"no test file for the {family} rules"


def test_docs_rules_md_is_up_to_date():
    assert docs.TARGET.read_text(encoding="utf-8") == docs.render(), \
        "docs/rules.md is stale: run `python -m gitops.policy.docs` and commit it"


def test_peer_table_names_real_rules_and_covers_every_pod_spec_check():
    rules = all_rules()
    for tool, rows in PEERS.items():
        for check, pod_spec, ours in rows:
            assert all(r in rules for r in ours), (tool, check, ours)
            assert ours or not pod_spec, f"{tool} {check} is about the pod spec and has no counterpart"


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_the_index_changes_no_result(rule_id):
    """Rules give the same findings through the engine's index as by scanning (a bare Context)."""
    from dataclasses import replace

    from gitops.policy.api import Context, index_by_kind
    from gitops.policy.engine import run_rule

    from .helpers import resources

    rule = all_rules()[rule_id]
    for text in rule.examples().values():
        objects = tuple(resources(text))
        bare = Context(resources=objects, options={**rule.options, **rule.example_context.get("options", {})},
                       severity=rule.severity)
        assert run_rule(rule, bare, objects) == run_rule(rule, replace(bare, index=index_by_kind(objects)), objects)
