"""Finding and Report: the vocabulary shared by schema checks, policies, drift and the outputs."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from .manifests.resource import Origin, Resource

SEVERITIES = ("error", "warning", "info")
_RANK = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True)
class Found:
    """What a check found, before it is named: the object (or the place in a file) it is about,
    the JSON path inside it, what is wrong and how to fix it. Checks yield these; the stage that
    runs them stamps the rule id and the severity (`Finding.stamp`), so no check decides either."""

    resource: Resource | None
    message: str
    path: str = ""
    hint: str = ""
    line: int | None = None  # the exact line, when the check knows it better than the path lookup
    column: int | None = None
    origin: Origin | None = None  # where, when the problem is not about a resource (a file, a waiver entry)
    unsure: bool = False  # the check cannot tell (e.g. pods an operator makes): stamped as an info


@dataclass(frozen=True)
class Finding:
    """One problem with one resource (or file): what rule, how bad, where, and how to fix it."""

    rule: str
    severity: str
    message: str
    origin: Origin = field(default_factory=Origin)
    resource: str = ""  # Kind/namespace/name, when the problem is about a resource
    path: str = ""  # JSON path inside the resource, e.g. spec.template.spec.containers[0].image
    line: int | None = None  # line of `path` in the file, when known
    hint: str = ""
    column: int | None = None  # 1-based column of `path` on that line, when known
    waived_by: str = ""  # "annotation" (on the object) or "file" (policies/waivers.yaml)
    waived: bool = False
    waiver_reason: str = ""
    waiver_expiry: str = ""

    @classmethod
    def stamp(cls, found: Found, rule: str, severity: str) -> "Finding":
        """The finding of rule `rule` at `severity` for what a check found (only stages call this).
        What a check is unsure of is never more than an info, whatever the rule's severity."""
        if found.unsure:
            severity = "info"
        res = found.resource
        if res is not None:
            return cls(rule=rule, severity=severity, message=found.message, origin=found.origin or res.origin,
                       resource=res.ref(), path=found.path, line=found.line, hint=found.hint, column=found.column)
        return cls(rule=rule, severity=severity, message=found.message, origin=found.origin or Origin(),
                   path=found.path, line=found.line, hint=found.hint, column=found.column)

    def waive(self, reason: str, expiry: str = "", by: str = "annotation") -> "Finding":
        return replace(self, waived=True, waiver_reason=reason, waiver_expiry=expiry, waived_by=by)

    @property
    def file(self) -> str:
        return self.origin.file

    @property
    def where_line(self) -> int:
        return self.line or self.origin.line or 0

    def sort_key(self) -> tuple:
        return (self.origin.file, self.origin.doc_index, self.where_line, self.rule, self.path, self.message)


def at_least(severity: str, threshold: str) -> bool:
    return _RANK[severity] >= _RANK[threshold]


@dataclass
class Report:
    """Findings of one run plus what was looked at; `exit_code` is the one place that decides the
    exit code of every command that reports findings (2 and 3 come from errors, see cli.py)."""

    findings: list[Finding] = field(default_factory=list)
    resources: int = 0
    files: int = 0
    skipped: int = 0
    tool: str = "gitops"
    fail_on: str = "error"  # the lowest severity that fails the run (--fail-on)
    drifted: int = 0  # files of generated/ that differ from what the specs produce (`gitops check`)
    judged: list[Finding] | None = None  # the findings the verdict is about, when not all (--fail-on-new)

    def add(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.active() if f.severity == severity)

    def invalid_resources(self) -> int:
        """Resources with an active error: findings about no resource (a waiver entry, a file that
        is not YAML) count for none, so there are never more invalid resources than resources."""
        bad = {(f.origin.file, f.origin.doc_index, f.resource) for f in self.active()
               if f.severity == "error" and f.resource}
        return min(len(bad), self.resources)

    def exit_code(self, fail_on: str | None = None) -> int:
        """1 when generated/ drifted or a finding judged is at least `fail_on`, else 0."""
        fail_on = fail_on or self.fail_on
        if self.drifted:
            return 1
        if fail_on == "never":
            return 0
        judged = self.findings if self.judged is None else self.judged
        return 1 if any(at_least(f.severity, fail_on) for f in judged if not f.waived) else 0


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
