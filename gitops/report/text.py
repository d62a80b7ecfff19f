"""Plain text for people: one `file:line:col: severity rule message` line per finding (one grep, or
one click in an editor's terminal, away from the place), its hint below, then the counts of the
findings shown. `gitops check` adds the drift of generated/ first and, with --base, the plan and
the new, fixed and existing findings."""
from __future__ import annotations

from ..diff import render as plan_render
from ..findings import Finding, Report
from .model import DEFAULT_STYLE, CheckReport, Style, findings_line, summary_line

NAME = "text"


def where(f: Finding) -> str:
    """`file:line:col`, as much of it as is known."""
    out = f.file or "(no file)"
    if f.where_line:
        out += f":{f.where_line}"
        if f.column:
            out += f":{f.column}"
    return out


def finding_line(f: Finding) -> str:
    subject = " ".join(p for p in (f.resource, f.path) if p)
    spec = (f" [{f.origin.spec_file}:{f.origin.spec_line}, app {f.origin.app}, env {f.origin.env}]"
            if f.origin.spec_file else "")
    waived = f" (waived: {f.waiver_reason})" if f.waived else ""
    return f"{where(f)}: {f.severity} {f.rule} {subject + ': ' if subject else ''}{f.message}{spec}{waived}"


def finding_lines(findings: list[Finding]) -> list[str]:
    lines = []
    for f in findings:
        lines.append(finding_line(f))
        if f.hint and not f.waived:
            lines.append(f"    hint: {f.hint}")
    return lines


def drift_lines(report: CheckReport) -> list[str]:
    rel, found = report.generated, report.drift
    if found is None:
        return []
    if found.clean:
        return [f"{rel}/ is in sync with the specs ({report.folders} folders)"]
    lines = [f"missing:  {rel}/{n} (the specs produce it; it is not committed)" for n in found.added]
    lines += [f"stale:    {rel}/{n} (committed; the specs no longer produce it)" for n in found.removed]
    for name in found.changed:
        lines += [f"changed:  {rel}/{name}", found.diffs[name]]
    total = len(found.added) + len(found.removed) + len(found.changed)
    lines.append(f"{rel}/ is out of date with the specs: {total} file(s) differ. "
                 "Run `gitops synth` and commit the result.")
    return lines


def _check(report: CheckReport) -> list[str]:
    lines = drift_lines(report)
    rev = report.review
    if rev is None:
        shown = report.sorted()
        lines += finding_lines(shown)
    else:
        scope = "every app" if rev.scope.everything else f"{len(rev.scope.spec_files)} changed spec file(s)"
        lines += ["", f"Compared with {rev.base.ref} ({rev.base.commit[:12]}), {scope}:",
                  plan_render.text(rev.plan, rev.delta.new, rev.delta.fixed).rstrip()]
        shown = [*rev.delta.new, *rev.delta.existing]
        lines += ["", f"Delta: {len(rev.delta.new)} new, {len(rev.delta.fixed)} fixed, {len(rev.delta.existing)} existing"]
        for title, items in (("New", rev.delta.new), ("Fixed", rev.delta.fixed), ("Existing", rev.delta.existing)):
            if items:
                lines += ["", f"{title} findings ({len(items)}):", *finding_lines(list(items))]
        lines.append("")
    lines.append(findings_line(shown))
    lines.append(f"gitops check {'passed' if report.exit_code() == 0 else 'failed'}")
    return lines


def render(report: Report, style: Style = DEFAULT_STYLE) -> list[str]:
    if isinstance(report, CheckReport):
        lines = _check(report)
    else:
        shown = report.sorted()
        lines = finding_lines(shown) + [findings_line(shown), summary_line(report)]
    return ["\n".join(lines) + "\n"]


__all__ = ["NAME", "drift_lines", "finding_line", "render", "where"]
