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
                       resource=res.ref(), path=found.path, line=found.line, hint=found.hint)
        return cls(rule=rule, severity=severity, message=found.message, origin=found.origin or Origin(),
                   path=found.path, line=found.line, hint=found.hint)

    def waive(self, reason: str, expiry: str = "") -> "Finding":
        return replace(self, waived=True, waiver_reason=reason, waiver_expiry=expiry)

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
    """Findings of one run plus what was looked at; decides the exit code."""

    findings: list[Finding] = field(default_factory=list)
    resources: int = 0
    files: int = 0
    skipped: int = 0

    def add(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.active() if f.severity == severity)

    def invalid_resources(self) -> int:
        return len({(f.origin.file, f.origin.doc_index) for f in self.active() if f.severity == "error"})

    def exit_code(self, fail_on: str = "error") -> int:
        if fail_on == "never":
            return 0
        return 1 if any(at_least(f.severity, fail_on) for f in self.active()) else 0
