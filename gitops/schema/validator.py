"""The per-resource validation pass: deprecations, schema, CEL rules, then the extra checks.

The extra checks are what the API server rejects that schemas cannot express: each function gets a
schema-valid Resource and the target Kubernetes version (`"1.33"`) and yields Findings. A Validator
runs `DEFAULT_EXTRA_CHECKS` (the one list) unless it is given others.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterable, Sequence

from ..apiserver import check as api_server_check
from ..catalog.builtin import stamp
from ..findings import Finding, Found
from ..manifests.reader import format_path, locate
from ..manifests.resource import Resource
from . import cel, deprecations
from .messages import describe
from .store import SchemaStore

ExtraCheck = Callable[[Resource, str], Iterable[Finding]]
# What the API server rejects beyond the schemas (enums, ranges, formats, cross-field rules) runs in
# the same pass, for every resource that passed its schema (gitops/apiserver/).
DEFAULT_EXTRA_CHECKS: tuple[ExtraCheck, ...] = (partial(api_server_check, locate=locate),)

VALID, INVALID, ERROR, SKIPPED = "valid", "invalid", "error", "skipped"
# Findings that mean "could not be validated" rather than "is invalid" (kubeconform's Errors).
ERROR_RULES = frozenset({"schema-missing", "manifest-syntax", "manifest-not-yaml", "manifest-unreadable",
                         "manifest-alias-limit", "manifest-not-object", "manifest-missing-kind"})


@dataclass(frozen=True)
class Options:
    kubernetes_version: str
    strict: bool = True
    ignore_missing_schemas: bool = False
    skip_kinds: frozenset[str] = frozenset()  # Kind or apiVersion/Kind
    schemas_dir: str | None = None
    locations: tuple[str, ...] = ()
    locate_lines: bool = True  # False when the resources' files are not on disk (a base ref's)
    # Which resources to keep for the checks that need the whole set (a module-level function, so
    # that worker processes can receive it); None keeps none.
    keep: Callable[[Resource], bool] | None = None


@dataclass
class Outcome:
    status: str
    findings: list[Finding] = field(default_factory=list)


class Validator:
    """Validates Resources one at a time; schemas are compiled on first use and kept."""

    def __init__(self, options: Options, extra_checks: Sequence[ExtraCheck] = DEFAULT_EXTRA_CHECKS):
        self.options = options
        self.extra_checks = tuple(extra_checks)
        self.store = SchemaStore(options.kubernetes_version, options.strict, options.schemas_dir,
                                 tuple(options.locations))
        self.kubernetes_version = self.store.kubernetes_version

    def skipped(self, res: Resource) -> bool:
        skip = self.options.skip_kinds
        return bool(skip) and (res.kind in skip or f"{res.api_version}/{res.kind}" in skip)

    def validate(self, res: Resource) -> Outcome:
        if self.skipped(res):
            return Outcome(SKIPPED)
        findings: list[Finding] = []
        deprecation = deprecations.lookup(res.api_version, res.kind, self.kubernetes_version)
        if deprecation:
            rule, message = deprecation
            findings.append(self._finding(res, rule, message, ["apiVersion"],
                                          hint="change apiVersion (and any fields that changed with it)"))
            if rule == "api-removed":
                return Outcome(INVALID, findings)
        entry = self.store.lookup(res.api_version, res.kind)
        if entry is None:
            if self.options.ignore_missing_schemas:
                return Outcome(SKIPPED, findings)
            where = f"Kubernetes {self.kubernetes_version}"
            if self.options.schemas_dir:
                where += f" nor in {self.options.schemas_dir}/"
            findings.append(self._finding(
                res, "schema-missing", f"no schema for {res.api_version} {res.kind} in {where}", [],
                hint="check apiVersion and kind; for a custom resource run `gitops schemas import CRD_FILE`, "
                     "or pass --ignore-missing-schemas"))
            return Outcome(ERROR, findings)
        errors = list(entry.validator.iter_errors(res.obj)) if not entry.validator.is_valid(res.obj) else []
        if errors:
            for error in errors:
                for problem in describe(error, lambda path: self.store.known_fields(entry, path)):
                    findings.append(self._finding(res, problem.rule, problem.message, problem.parts,
                                                  hint=problem.hint))
            return Outcome(INVALID, _dedupe(findings))
        if entry.cel is not None:
            for violation in cel.check(entry.cel, res.obj):
                findings.append(self._finding(res, violation.rule, violation.message,
                                              violation.path, hint=f"rule: {violation.expression}"))
        for extra in self.extra_checks:
            findings.extend(extra(res, self.kubernetes_version))
        return Outcome(INVALID if any(f.severity == "error" for f in findings) else VALID, findings)

    def _finding(self, res: Resource, rule: str, message: str, parts: Sequence, hint: str = "") -> Finding:
        place = locate(res.origin, parts) if self.options.locate_lines and res.origin.file and parts else None
        line, column = place if place else (res.origin.line or None, None)
        found = Found(res, message, path=format_path(parts), hint=hint, line=line, column=column)
        if rule in deprecations.SEVERITY:
            return Finding.stamp(found, rule, deprecations.SEVERITY[rule])
        return stamp(found, rule)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.rule, f.path, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out

