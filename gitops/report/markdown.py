"""The pull-request comment: verdict, what the change does per app, new and fixed findings, then
the detail folded (changes per environment and kind, resource diffs).

GitHub refuses a comment longer than 65,536 characters (counted as JavaScript does, in UTF-16 code
units). The comment is built from blocks in order of importance (title, summary, new findings, fixed
findings, diffs); when it is too long it is either split into several comments (`split`, each
within the limit, a table continued under its repeated header) or cut after the last block that
fits, with a notice saying what was left out and where to see it (`truncate`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diff.compare import SYMBOLS, Change
from ..diff.data import effects as data_effects
from ..diff import summary
from ..diff.render import count_rows, field_line, source, summary_line
from ..findings import Finding, Report
from ..yamlio import dump
from .model import DEFAULT_STYLE, GITHUB_LIMIT, OVERFLOW, CheckReport, Style

NAME = "markdown"
SEPARATOR = "\n<!-- gitops:next-comment -->\n"  # between the parts of a split comment on stdout

if TYPE_CHECKING:
    from ..review.pull_request import Review

MARKER = "<!-- gitops:pull-request-comment -->"
PART_RESERVE = 200  # room for the marker and the "part N of M" line of each part
NOTICE_RESERVE = 400  # room for the truncation notice
BLOCK_SHARE = 2  # one resource diff may take at most limit / BLOCK_SHARE characters
SUMMARY_APPS = 20  # apps described in the summary; the rest are in the folded detail
RERUN_HINT = "run `gitops diff --base <ref>` locally, or read the job log"


def size(text: str) -> int:
    """Length as GitHub counts it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Block:
    text: str
    header: str = ""  # a table's heading and header rows, repeated when a part starts inside the table
    kind: str = "section"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _spec(f: Finding) -> str:
    o = f.origin
    if not o.spec_file:
        return "—"
    where = f"`{o.spec_file}:{o.spec_line}`" if o.spec_line else f"`{o.spec_file}`"
    extra = ", ".join(p for p in (f"app {o.app}" if o.app else "", f"env {o.env}" if o.env else "") if p)
    return f"{where} ({extra})" if extra else where


def _generated(f: Finding) -> str:
    line = f.where_line
    return f"`{f.file}:{line}`" if line else (f"`{f.file}`" if f.file else "—")


def _finding_rows(title: str, findings: list[Finding]) -> list[Block]:
    header = (f"### {title} ({len(findings)})\n\n| Severity | Rule | Resource | Spec | Generated | Message |\n"
              "|---|---|---|---|---|---|\n")
    blocks = []
    for f in findings:
        message = f.message + (f" — waived: {f.waiver_reason}" if f.waived else "")
        row = (f"| {f.severity} | `{f.rule}` | `{_cell(f.resource or '—')}` | {_cell(_spec(f))} | {_generated(f)} "
               f"| {_cell(message)}{' (path `' + _cell(f.path) + '`)' if f.path else ''} |\n")
        blocks.append(Block(row, header, "table"))
    return blocks


def _fence(lines: list[str], lang: str) -> str:
    body = "\n".join(lines)
    ticks = "````" if "```" in body else "```"
    return f"{ticks}{lang}\n{body}\n{ticks}\n"


def _diff_block(c: Change, limit: int) -> Block:
    summary = f"{SYMBOLS[c.action]} {c.action} {c.ref} — {source(c.origin)}"
    if c.action == "create":
        lines, lang = dump(c.resource.obj).splitlines(), "yaml"
    elif c.action == "delete":
        lines, lang = [f"deleted (was generated from {source(c.origin)})"], "text"
    else:
        lines, lang = [field_line(f) for f in c.fields] or ["only the name changed"], "text"
    if c.action == "rename" and c.old is not None:
        lines.insert(0, f"renamed from {c.old.ref()} ({c.old.origin.file})")
    head = f"<details><summary>{_html(summary)}</summary>\n\n"
    tail = "</details>\n"
    budget = limit // BLOCK_SHARE - size(head + tail) - 200
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        if used + size(line) + 1 > budget:
            kept.append(f"… {len(lines) - i} more lines not shown ({RERUN_HINT})")
            break
        kept.append(line)
        used += size(line) + 1
    return Block(head + _fence(kept, lang) + tail, kind="diff")


def _summary(apps: list[summary.AppSummary], findings: bool) -> list[Block]:
    """The reviewer's summary: per app a bold headline, then its pods, deletions and findings; at
    most SUMMARY_APPS apps, so a change to the whole fleet still leaves room for the findings."""
    out = [Block("### What this change does\n\n")]
    for s in apps[:SUMMARY_APPS]:
        where = f" (`{s.spec_file}`)" if s.spec_file else ""
        lines = [f"**{_html(s.app)}**{where}: {_html(summary.headline(s))}"]
        lines += [f"- {_html(line)}" for line in summary.details(s, findings)]
        out.append(Block("\n".join(lines) + "\n\n"))
    if len(apps) > SUMMARY_APPS:
        out.append(Block(f"… and {len(apps) - SUMMARY_APPS} more apps (`gitops diff --base <ref>` lists them all).\n\n"))
    return out


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def blocks(findings: list[Finding] | None, review: Review | None = None, passed: bool = True, drift_files: int = 0,
           fail_on_new: bool = False, limit: int = GITHUB_LIMIT, title: str | None = None) -> list[Block]:
    """The comment's content, most important first. `title` replaces the verdict heading; `findings`
    is None when none were computed (the plan alone, `gitops diff`)."""
    out: list[Block] = []
    checked = findings is not None
    findings = findings or []
    if review is not None:
        new, fixed = list(review.delta.new), list(review.delta.fixed)
        existing = len(review.delta.existing)
    else:
        new, fixed, existing = [f for f in findings if not f.waived], [], 0
    verdict = "✅ passed" if passed else "❌ failed"
    reasons = []
    if drift_files:
        reasons.append(f"generated/ is out of date ({drift_files} files differ; run `gitops synth` and commit)")
    if checked and review is not None:
        reasons.append(f"{len(new)} new, {len(fixed)} fixed, {existing} existing findings")
    elif checked:
        reasons.append(f"{len(new)} findings")
    heading = f"{MARKER}\n## {title or 'gitops check ' + verdict}\n\n"
    lines = [f"**{'; '.join(reasons)}**" + (" — only new findings fail this check (`--fail-on-new`)." if fail_on_new else "")
             ] if reasons else []
    if review is not None:
        base = review.base
        lines.append(f"Compared with `{base.ref}`" + (f" (`{base.commit[:12]}`)" if base.commit else "") +
                     f": {summary_line(review.plan)}")
        if not review.scope.everything:
            lines.append(f"Only the apps of the {len(review.scope.spec_files)} changed spec file(s) were "
                         "synthesized and checked; the rest is unchanged since the base.")
    out.append(Block(heading + "\n\n".join(lines) + "\n\n"))
    if review is not None and not review.plan.empty:
        out += _summary(summary.summarize(review.plan, new, fixed), checked)
        rows = "".join(f"| {env} | {kind} | {created} | {updated} | {deleted} | {renamed} |\n"
                       for env, kind, created, updated, deleted, renamed in count_rows(review.plan))
        out.append(Block("<details><summary>Changes per environment and kind</summary>\n\n"
                         "| Environment | Kind | Created | Updated | Deleted | Renamed |\n|---|---|---:|---:|---:|---:|\n"
                         f"{rows}\n</details>\n\n"))
    if review is not None and (losses := data_effects(review.plan)):
        out.append(Block("\n### Data this change deletes\n\n" + "".join(f"- {_html(line)}\n" for line in losses) + "\n"))
    out += _finding_rows("New findings" if review is not None else "Findings", new)
    if review is not None:
        out += _finding_rows("Fixed findings", fixed)
        if existing:
            out.append(Block(f"\n{existing} existing finding(s) are not caused by this change "
                             "(see the job log or the code scanning alerts).\n\n"))
    if review is not None and not review.plan.empty:
        out.append(Block("\n### Resource diffs\n\n"))
        out += [_diff_block(c, limit) for c in review.plan.changes]
    return out


def pack(items: list[Block], limit: int = GITHUB_LIMIT, overflow: str = "split") -> list[str]:
    """Comments of at most `limit` characters: several (split) or one cut short with a notice."""
    if overflow not in OVERFLOW:
        raise ValueError(f"overflow must be one of {OVERFLOW}")
    room = limit - PART_RESERVE - (NOTICE_RESERVE if overflow == "truncate" else 0)
    parts: list[list[str]] = [[]]
    used, open_header = 0, ""
    for index, block in enumerate(items):
        piece = block.text
        if block.header and block.header != open_header:
            piece = "\n" + block.header + piece
        if used + size(piece) > room and parts[-1]:
            if overflow == "truncate":
                left = len(items) - index
                parts[-1].append(_notice(left, items[index:], limit))
                break
            parts.append([])
            used, open_header = 0, ""
            piece = ("\n" + block.header + block.text) if block.header else block.text
        parts[-1].append(piece)
        used += size(piece)
        open_header = block.header
    total = len(parts)
    out = []
    for number, texts in enumerate(parts, start=1):
        body = "".join(texts)
        if total > 1:
            marker = MARKER.replace(" -->", f" part={number} -->")
            body = body.replace(MARKER, marker, 1) if number == 1 else \
                f"{marker}\n_gitops check, continued (part {number} of {total})_\n" + body
            if number == 1:
                head, sep, rest = body.partition("\n\n")
                body = f"{head} (part 1 of {total}){sep}{rest}"
        out.append(body)
    return out


def _notice(left: int, rest: list[Block], limit: int) -> str:
    diffs = sum(1 for b in rest if b.kind == "diff")
    rows = sum(1 for b in rest if b.kind == "table")
    what = ", ".join(p for p in (f"{diffs} resource diff(s)" if diffs else "", f"{rows} table row(s)" if rows else "")
                     if p) or f"{left} section(s)"
    return (f"\n> [!WARNING]\n> Truncated to stay under GitHub's {limit:,}-character comment limit: "
            f"{what} not shown. To see everything, {RERUN_HINT}.\n")


def comment(findings: list[Finding] | None, review: Review | None = None, passed: bool = True, drift_files: int = 0,
            fail_on_new: bool = False, limit: int = GITHUB_LIMIT, overflow: str = "split",
            title: str | None = None) -> list[str]:
    """The comment(s) as Markdown: one string per comment to post, each within `limit`."""
    return pack(blocks(findings, review, passed, drift_files, fail_on_new, limit, title), limit, overflow)


def render(report: Report, style: Style = DEFAULT_STYLE) -> list[str]:
    """The output format: the pull-request comment of any report (`gitops check`'s with its plan)."""
    passed = report.exit_code() == 0
    if isinstance(report, CheckReport):
        return comment(report.sorted(), report.review, passed, report.drifted, report.fail_on_new,
                       limit=style.comment_limit, overflow=style.comment_overflow)
    return comment(report.sorted(), None, passed, limit=style.comment_limit, overflow=style.comment_overflow,
                   title=f"{report.tool} {'✅ passed' if passed else '❌ failed'}")
