"""What every output format renders: a Report (a ValidationReport when validation made per-resource
verdicts, a CheckReport for the CI gate), and how (Style)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import Checked, Finding, Report, ValidationReport

if TYPE_CHECKING:
    from ..write.tree import Drift
    from ..review.pull_request import Review

__all__ = ["DEFAULT_STYLE", "GITHUB_LIMIT", "OVERFLOW", "CheckReport", "Checked", "Style", "ValidationReport", "by_file",
           "summary", "summary_line"]

# The size GitHub allows a pull-request comment, and what `gitops check` does beyond it.
GITHUB_LIMIT = 65536
OVERFLOW = ("split", "truncate")


@dataclass(frozen=True)
class Style:
    """How to render, beyond what was found: the pull-request comment's size limit and overflow."""

    comment_limit: int = GITHUB_LIMIT
    comment_overflow: str = "split"


DEFAULT_STYLE = Style()


@dataclass
class CheckReport(Report):
    """What `gitops check` found: drift of generated/ against the specs, findings, and with --base the
    plan and the finding delta of the pull request."""

    drift: Drift | None = None
    folders: int = 0  # generated/ folders compared
    generated: str = "generated"  # generated/ relative to the working folder, for the drift lines
    review: Review | None = None
    fail_on_new: bool = False
    tool: str = "gitops check"


def summary(report: Report) -> dict[str, int]:
    """Counts every format shows; derived from findings for reports that did not validate."""
    if isinstance(report, ValidationReport):
        counts = {"valid": report.valid, "invalid": report.invalid, "errors": report.errors,
                  "skipped": report.skipped}
    else:
        invalid = report.invalid_resources()
        counts = {"valid": max(report.resources - invalid - report.skipped, 0), "invalid": invalid,
                  "errors": 0, "skipped": report.skipped}
    active = report.active()
    return {"resources": report.resources, "files": report.files, **counts,
            "error_findings": sum(1 for f in active if f.severity == "error"),
            "warning_findings": sum(1 for f in active if f.severity == "warning"),
            "info_findings": sum(1 for f in active if f.severity == "info"),
            "waived_findings": sum(1 for f in report.findings if f.waived)}


def summary_line(report: Report) -> str:
    s = summary(report)
    res = "resource" if s["resources"] == 1 else "resources"
    files = "file" if s["files"] == 1 else "files"
    return (f"Summary: {s['resources']} {res} found in {s['files']} {files} - Valid: {s['valid']}, "
            f"Invalid: {s['invalid']}, Errors: {s['errors']}, Skipped: {s['skipped']}")


def findings_line(findings: list[Finding]) -> str:
    """`Findings: 2 errors, 1 warning, 0 infos (1 waived)` over the findings listed."""
    active = [f for f in findings if not f.waived]

    def count(severity: str) -> str:
        n = sum(1 for f in active if f.severity == severity)
        return f"{n} {severity}{'' if n == 1 else 's'}"

    waived = len(findings) - len(active)
    return f"Findings: {count('error')}, {count('warning')}, {count('info')}" + (f" ({waived} waived)" if waived else "")


def by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=Finding.sort_key):
        out.setdefault(f.origin.file, []).append(f)
    return out


