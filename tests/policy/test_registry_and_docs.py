"""The registry (explicit, one module per rule, no duplicate ids), the catalog, generated docs/rules.md
and the peer table."""
import types
from pathlib import Path

import pytest

from gitops.catalog import Catalog, Entry, catalog, docs
from gitops.policy.peers import PEERS, SOURCES
from gitops.policy.registry import all_rules, build
from gitops.policy.rules import MODULES
from gitops.policy.rules.images import image_tag

HERE = Path(__file__).resolve().parent


def _module(name: str, rule_id: str) -> types.ModuleType:
    one = types.ModuleType(name)
    one.ID, one.TITLE, one.SEVERITY, one.REMEDIATION = rule_id, "GPU pods tolerate the taint", "error", "tolerate it"
    one.check = lambda res, ctx: iter(())
    one.__doc__ = "Doc."
    return one


def test_duplicate_ids_are_refused():
    twin = _module("gitops.policy.rules.images.twin", "image-tag")
    with pytest.raises(ValueError, match="'image-tag' is registered twice"):
        build([image_tag, twin])


def test_a_rule_module_belongs_to_the_family_of_its_folder():
    registry = build([*MODULES, _module("gitops.policy.rules.ml.gpu_toleration", "gpu-toleration")])
    assert registry["gpu-toleration"].family == "ml"


def test_a_module_without_the_contract_names_is_refused():
    half = types.ModuleType("gitops.policy.rules.ml.half")
    half.ID, half.__doc__ = "half", "Doc."
    with pytest.raises(ValueError, match="lacks TITLE, SEVERITY, REMEDIATION, check"):
        build([half])


def test_the_catalog_refuses_an_id_twice():
    entries = Catalog()
    entry = Entry("x-y", "t", "d", "r", "error", "u", True, "policy")
    entries.add(entry)
    with pytest.raises(ValueError, match="'x-y' is in the catalog twice"):
        entries.add(entry)


def test_every_catalog_entry_is_complete():
    for entry in catalog():
        assert entry.title and entry.description and entry.remediation, entry.id
        assert entry.url.startswith(("https://", "docs/")), entry.id
        assert entry.severity in ("error", "warning", "info"), entry.id
        if entry.stage != "api-server":
            assert [label for label, _ in entry.examples] == ["Fails", "Passes"], entry.id


def test_every_family_has_its_test_file():
    tests = [p.name for p in HERE.parent.rglob("test_*.py")]
    for family in {r.family for r in all_rules().values()}:
        name = family.replace("-", "_")
        assert any(name in t and "rule" in t for t in tests), f"no test file for the {family} rules"


def test_docs_rules_md_is_up_to_date():
    assert docs.TARGET.read_text(encoding="utf-8") == docs.render(), \
        "docs/rules.md is stale: run `python -m gitops.catalog.docs` and commit it"


def test_peer_table_names_real_rules_and_leaves_no_check_without_counterpart_or_reason():
    rules = all_rules()
    assert set(PEERS) == set(SOURCES) == {"kube-score", "kube-linter", "Polaris"}
    for tool, rows in PEERS.items():
        assert len({check for check, _, _ in rows}) == len(rows), f"{tool}: a check is listed twice"
        for check, ours, reason in rows:
            assert all(r in rules for r in ours), (tool, check, ours)
            assert ours or reason.strip(), f"{tool} {check} has neither a counterpart nor a reason"


def test_peer_counts_are_the_peers_default_check_lists():
    """The numbers of default checks read from each peer (see peers.SOURCES): a row lost or added fails."""
    assert {tool: len(rows) for tool, rows in PEERS.items()} == {"kube-score": 33, "kube-linter": 31, "Polaris": 44}


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


def test_explain_works_for_every_id_the_tool_can_print(tmp_path):
    from tests.conftest import run_cli

    listed = [line.split()[0] for line in run_cli(["rules"], tmp_path).output.splitlines()]
    assert sorted(listed) == catalog().ids()
    for rule_id in listed:
        result = run_cli(["explain", rule_id], tmp_path)
        assert result.exit_code == 0 and result.output.startswith(rule_id + " ("), rule_id
        assert "Fix: " in result.output, rule_id
        assert "Documentation: https://" in result.output or "Documentation: docs/" in result.output, rule_id
        if catalog()[rule_id].stage != "policy":  # a policy rule's documentation holds its examples
            assert "\nFails:\n" in result.output and "\nPasses:\n" in result.output, rule_id


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    import re

    return {re.sub(r"[^a-z0-9 _-]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
            for line in markdown.splitlines() if line.startswith("#")}


def test_every_documentation_link_of_the_catalog_leads_to_a_section_that_exists():
    repo = HERE.parent.parent
    for entry in catalog():
        if entry.url.startswith("https://"):
            continue
        path, _, anchor = entry.url.partition("#")
        doc = repo / path
        assert doc.is_file(), (entry.id, entry.url)
        assert not anchor or anchor in _anchors(doc.read_text(encoding="utf-8")), (entry.id, entry.url)


def test_docs_links_become_absolute_under_the_published_docs_url(monkeypatch):
    from gitops.catalog.entry import absolute, shown

    monkeypatch.delenv("GITOPS_DOCS_URL", raising=False)
    assert absolute("docs/rules.md#image-tag") is None
    assert shown("docs/rules.md#image-tag") == "docs/rules.md#image-tag"
    monkeypatch.setenv("GITOPS_DOCS_URL", "https://github.com/team/platform/blob/main/docs/")
    assert shown("docs/rules.md#image-tag") == "https://github.com/team/platform/blob/main/docs/rules.md#image-tag"
    assert shown("https://kubernetes.io/x") == "https://kubernetes.io/x"
