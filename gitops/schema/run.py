"""Validating whole trees: files read and checked in chunks, on two processes when it pays.

Only findings and counts travel back from the workers, so memory stays flat however many
resources there are (a file is the unit of work; documents are never all held at once).
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import replace
from typing import Iterable, Sequence

from ..findings import Finding
from ..manifests.reader import Part, iter_manifest_files, read_file, read_part, split_file
from ..manifests.resource import Resource
from ..report.model import Checked, ValidationReport
from .validator import ERROR, ERROR_RULES, INVALID, SKIPPED, VALID, Options, Validator

# Below this many files (or parts), starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200
# Files larger than this are read (and spread over the workers) a part of PART_BYTES at a time.
LARGE_FILE = 4 << 20
PART_BYTES = 16 << 10  # a part's parsed documents are held at once: small parts keep the heap small
_worker: dict = {}


def _count(report: ValidationReport, status: str) -> None:
    if status == VALID:
        report.valid += 1
    elif status == INVALID:
        report.invalid += 1
    elif status == ERROR:
        report.errors += 1
    else:
        report.skipped += 1


def validate_resources(validator: Validator, resources: Iterable[Resource], report: ValidationReport,
                       reading: Sequence[Finding] = (), keep_checked: bool = False) -> None:
    """Check `resources` (plus the reading findings of their files) into `report`; the resources the
    set-wide checks need (`Options.keep`) are kept in `report.kept`."""
    keep = validator.options.keep
    attached: dict[tuple, list[Finding]] = {}
    for f in reading:
        if not validator.options.strict and f.rule == "manifest-duplicate-key":
            f = replace(f, severity="warning")
        attached.setdefault((f.origin.file, f.origin.doc_index, f.origin.line), []).append(f)
    for res in resources:
        outcome = validator.validate(res)
        key = (res.origin.file, res.origin.doc_index, res.origin.line)
        status, findings = outcome.status, attached.pop(key, []) + outcome.findings
        if status == VALID and any(f.severity == "error" for f in findings):
            status = INVALID
        report.resources += 1
        _count(report, status)
        report.findings.extend(findings)
        if keep is not None and status != SKIPPED and keep(res):
            report.kept.append(res)
        if keep_checked:
            report.checked.append(Checked(res.origin.file, res.origin.doc_index, res.origin.line, res.ref(), status))
    for (file, doc_index, line), findings in attached.items():  # documents that never became resources
        status = ERROR if any(f.rule in ERROR_RULES for f in findings) else INVALID
        report.resources += 1
        _count(report, status)
        report.findings.extend(findings)
        if keep_checked:
            report.checked.append(Checked(file, doc_index, line, findings[0].resource or f"document {doc_index}",
                                          status))


def validate_file(validator: Validator, path: str | Part, report: ValidationReport,
                  keep_checked: bool = False) -> None:
    if isinstance(path, Part):
        resources, findings = read_part(path)
        report.files += 1 if path.start == 0 else 0
    else:
        resources, findings = read_file(path)
        report.files += 1
    validate_resources(validator, resources, report, findings, keep_checked)


def _units(files: list[str]) -> list[str | Part]:
    units: list[str | Part] = []
    for path in files:
        try:
            large = os.path.getsize(path) > LARGE_FILE
        except OSError:
            large = False
        units.extend(split_file(path, PART_BYTES) if large else [path])
    return units


def _init_worker(options: Options) -> None:
    _worker["validator"] = Validator(options)


def _work(args: tuple[list, bool]) -> ValidationReport:
    paths, keep_checked = args
    report = ValidationReport()
    for path in paths:
        validate_file(_worker["validator"], path, report, keep_checked)
    return report


def _chunks(paths: list, size: int) -> Iterable[list]:
    for start in range(0, len(paths), size):
        yield paths[start:start + size]


def validate_paths(paths: Sequence[str], options: Options, keep_checked: bool = False,
                   jobs: int | None = None) -> ValidationReport:
    """Validate every manifest file under `paths`. `jobs`: worker processes (default: CPUs, at most 2
    unless asked; 1 keeps everything in this process)."""
    validator = Validator(options)  # fails early on a bad version or location, before any work
    files = _units(list(iter_manifest_files(paths)))
    report = ValidationReport()
    jobs = jobs or min(os.cpu_count() or 1, 2)
    has_parts = any(isinstance(unit, Part) for unit in files)
    if jobs <= 1 or (len(files) < PARALLEL_MIN_FILES and not has_parts):
        for path in files:
            validate_file(validator, path, report, keep_checked)
        return report
    size = max(1 if has_parts else 8, min(256, len(files) // (jobs * 8) or 1))
    chunks = list(_chunks(files, size))
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        # Workers inherit the loaded definitions and compiled schemas instead of loading their own.
        validator.store.registry()
        _worker["validator"] = validator
        pool = multiprocessing.get_context("fork").Pool(jobs - 1)
    else:
        pool = multiprocessing.get_context().Pool(jobs - 1, initializer=_init_worker, initargs=(replace(
            options, kubernetes_version=validator.kubernetes_version),))
    # This process takes every jobs-th chunk itself: one process fewer, no core left idle.
    mine = chunks[::jobs]
    theirs = [c for i, c in enumerate(chunks) if i % jobs]
    with pool:
        results = pool.imap(_work, ((chunk, keep_checked) for chunk in theirs))
        for chunk in mine:
            for path in chunk:
                validate_file(validator, path, report, keep_checked)
        for part in results:
            report.merge(part)
    report.checked.sort(key=lambda c: (c.file, c.doc_index, c.line))
    return report
