"""What every output format renders: a Report, plus per-resource verdicts when validation made them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Report
from ..manifests.resource import Resource

# The size GitHub allows a pull-request comment, and what `gitops check` does beyond it (the options
# are declared with the command; the Markdown renderer loads only when a comment is written).
GITHUB_LIMIT = 65536
OVERFLOW = ("split", "truncate")


@dataclass(frozen=True)
class Checked:
    """One resource looked at, and its verdict (valid, invalid, error, skipped)."""

    file: str
    doc_index: int
    line: int
    resource: str
    status: str


@dataclass
class ValidationReport(Report):
    """A Report with kubeconform's four verdict counts, and (when asked) each resource's verdict."""

    valid: int = 0
    invalid: int = 0
    errors: int = 0
    checked: list[Checked] = field(default_factory=list)
    tool: str = "gitops validate"
    # Resources kept for the checks that need the whole set (gitops.admission), when asked.
    kept: list[Resource] = field(default_factory=list)

    def merge(self, other: "ValidationReport") -> None:
        self.findings.extend(other.findings)
        self.checked.extend(other.checked)
        self.kept.extend(other.kept)
        for name in ("resources", "files", "skipped", "valid", "invalid", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


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


def by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=Finding.sort_key):
        out.setdefault(f.origin.file, []).append(f)
    return out
