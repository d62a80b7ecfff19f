"""The pull-request comment: verdict, tables, traceability and GitHub's size limit (split and truncate)."""
from __future__ import annotations

import re

import pytest

from gitops.review.delta import delta
from gitops.diff import compare
from gitops.review.gitref import Scope
from gitops.report import markdown
from gitops.report.write import write_parts
from gitops.review.pull_request import Review, Side
from tests.test_delta import finding
from tests.test_diff import deployment


def a_review(n_apps=1, base_findings=(), head_findings=()):
    old = [deployment(name=f"app{i}", app=f"app{i}", spec_file=f"apps/app{i}.py") for i in range(n_apps)]
    new = [deployment(name=f"app{i}", app=f"app{i}", spec_file=f"apps/app{i}.py", image="web:2.0 🚀",
                      env_vars=[{"name": f"VAR_{k}", "value": "x" * 40} for k in range(30)]) for i in range(n_apps)]
    plan = compare(old, new)
    side = Side("origin/main", "0123456789abcdef", None, [])  # type: ignore[arg-type]
    return Review(side, side, Scope(True), plan, delta(list(base_findings), list(head_findings)))


def test_title_tables_findings_and_collapsible_diffs():
    fixed, introduced = finding(rule="run-as-root"), finding(rule="no-latest")
    [comment] = markdown.comment([], a_review(base_findings=[fixed], head_findings=[introduced]), passed=False)
    assert comment.startswith(markdown.MARKER + "\n## gitops check ❌ failed\n")
    assert "**1 new, 1 fixed, 0 existing findings**" in comment
    assert "Compared with `origin/main` (`0123456789ab`)" in comment
    assert "| dev | Deployment | 0 | 1 | 0 | 0 |" in comment
    new_section = comment.split("### New findings (1)")[1].split("### Fixed findings")[0]
    assert "`no-latest`" in new_section and "`apps/web.py:4` (app web, env dev)" in new_section
    assert "`generated/dev/web/deployment-web.yaml:10`" in new_section
    assert "`run-as-root`" in comment.split("### Fixed findings (1)")[1]
    assert "<details><summary>~ update Deployment/web-dev/app0 — apps/app0.py:4, app app0, env dev → " \
           "generated/dev/app0/deployment-app0.yaml:3</summary>" in comment
    assert 'spec.template.spec.containers[name=web].image: "web:1.0" → "web:2.0 🚀"' in comment


def test_size_counts_like_github():
    assert markdown.size("abc") == 3
    assert markdown.size("🚀") == 2  # one emoji is two UTF-16 code units


def test_a_small_comment_is_one_part():
    assert len(markdown.comment([], a_review(1))) == 1


def test_split_keeps_every_part_under_the_limit_and_loses_nothing():
    limit = 20000
    review = a_review(60)
    whole = "".join(b.text for b in markdown.blocks([], review, limit=limit))
    assert markdown.size(whole) > 3 * limit
    parts = markdown.comment([], review, limit=limit, overflow="split")
    assert len(parts) >= 4
    assert all(markdown.size(p) <= limit for p in parts)
    for i in range(60):
        assert sum(f"Deployment/web-dev/app{i} " in p for p in parts) == 1  # each diff exactly once
    assert "## gitops check ✅ passed (part 1 of" in parts[0]
    for number, part in enumerate(parts[1:], start=2):
        assert part.startswith(f"<!-- gitops:pull-request-comment part={number} -->\n")
        assert f"(part {number} of {len(parts)})" in part
        assert part.count("<details>") == part.count("</details>")


def test_a_table_split_across_comments_repeats_its_header():
    findings = [finding(rule=f"rule-{i:03d}", message="m" * 200) for i in range(200)]
    parts = markdown.comment([], a_review(1, head_findings=findings), limit=10000)
    with_rows = [p for p in parts if "`rule-" in p]
    assert len(with_rows) > 1
    for part in with_rows:
        first_row = part.index("| error | `rule-")
        assert "| Severity | Rule | Resource |" in part[:first_row]
    rows = re.findall(r"`rule-(\d{3})`", "".join(parts))
    assert rows == [f"{i:03d}" for i in range(200)]


def test_truncate_gives_one_comment_with_a_notice():
    limit = 20000
    parts = markdown.comment([], a_review(60, head_findings=[finding()]), limit=limit, overflow="truncate")
    assert len(parts) == 1
    [comment] = parts
    assert markdown.size(comment) <= limit
    assert "### New findings (1)" in comment  # the important part comes first and is kept
    shown = comment.count("<details><summary>~")  # the resource diffs (the counts table is folded too)
    assert 0 < shown < 60
    assert f"Truncated to stay under GitHub's 20,000-character comment limit: {60 - shown} resource diff(s) " \
           "not shown" in comment


def test_the_default_limit_is_githubs():
    parts = markdown.comment([], a_review(200))
    assert len(parts) > 1 and all(markdown.size(p) <= 65536 for p in parts)
    assert any(markdown.size(p) > 60000 for p in parts)  # parts are filled, not one diff each


def test_one_huge_resource_diff_is_cut_inside_its_block():
    review = a_review(1)
    huge = deployment(name="app0", app="app0", spec_file="apps/app0.py",
                      env_vars=[{"name": f"V{k}", "value": "y" * 100} for k in range(2000)])
    review = Review(review.base, review.head, review.scope, compare(
        [deployment(name="app0", app="app0", spec_file="apps/app0.py")], [huge]), review.delta)
    [comment] = markdown.comment([], review, limit=20000)
    assert markdown.size(comment) <= 20000
    assert "more lines not shown" in comment


def test_split_parts_are_written_as_numbered_files(tmp_path):
    target = tmp_path / "comment.md"

    def parts(*texts):
        return [f"{markdown.MARKER}\n{t}" for t in texts]
    assert write_parts(str(target), parts("one"), "markdown") == [str(target)]
    names = write_parts(str(target), parts("a", "b", "c"), "markdown")
    assert [n.rsplit("/", 1)[1] for n in names] == ["comment-1.md", "comment-2.md", "comment-3.md"]
    assert not target.exists()  # no stale single comment next to the parts
    write_parts(str(target), parts("only"), "markdown")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comment.md"]  # stale parts removed


def test_unknown_overflow_is_refused():
    with pytest.raises(ValueError):
        markdown.pack([], overflow="drop")
