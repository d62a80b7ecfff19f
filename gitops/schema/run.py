"""Validating whole trees: files read and checked in chunks, on two processes when it pays.

Only findings and counts travel back from the workers, so memory stays flat however many
resources there are (a file is the unit of work; documents are never all held at once).
"""
from __future__ import annotations

import multiprocessing
import os
import re
from dataclasses import replace
from typing import Any, Iterable, Sequence

from ..errors import InputError
from ..findings import Checked, Finding, ValidationReport
from ..lifetime import die_with_parent
from ..manifests.reader import Part, iter_manifest_files, read_file, read_part, split_file
from ..manifests.resource import Resource
from ..check.shard import Shard
from .validator import ERROR, ERROR_RULES, INVALID, SKIPPED, VALID, Options, Validator

# Work is spread over processes by bytes, not by files: a few large files take as long as many
# small ones. Below PARALLEL_MIN_BYTES in all, a second process costs more than it saves (about
# 20 ms to fork and to send back the findings); a file over LARGE_FILE is cut at `---` lines into
# parts of about PART_BYTES, so that its documents can go to both processes.
PARALLEL_MIN_BYTES = 384 << 10
LARGE_FILE = 256 << 10
PART_BYTES = 16 << 10  # a part's parsed documents are held at once: small parts keep the heap small
CHUNKS_PER_JOB = 16  # work is handed out in this many pieces per process, so both finish together
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


def _units(files: list[str]) -> list[tuple[str | Part, int]]:
    """Files (large ones cut into parts) with their size in bytes."""
    units: list[tuple[str | Part, int]] = []
    for path in files:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        if size > LARGE_FILE:
            units.extend((part, part.end - part.start) for part in split_file(path, PART_BYTES))
        else:
            units.append((path, size))
    return units


def _work(validator: Validator, next_chunk, chunks: list[list[str | Part]],
          keep_checked: bool) -> ValidationReport:
    """Take chunks off the shared counter until none are left (every process does this)."""
    report = ValidationReport()
    while True:
        with next_chunk.get_lock():
            number = next_chunk.value
            next_chunk.value += 1
        if number >= len(chunks):
            return report
        for unit in chunks[number]:
            validate_file(validator, unit, report, keep_checked)


def _serve(next_chunk, chunks: list[list[str | Part]], keep_checked: bool, options: Options | None,
           conn) -> None:
    """A worker process: its share of the chunks, then its report through `conn`."""
    die_with_parent()  # a SIGKILLed `gitops validate` leaves no worker behind
    validator: Validator = _worker["validator"] if options is None else Validator(options)
    try:
        conn.send(_work(validator, next_chunk, chunks, keep_checked))
    finally:
        conn.close()


_TOP_LEVEL = re.compile(rb"\n(apiVersion|kind):[ \t]*[\"']?([A-Za-z0-9./-]+)")


def _compile_ahead(validator: Validator, units: list[tuple[str | Part, int]]) -> None:
    """Compile the schemas of the kinds the files name (top-level `apiVersion:` and `kind:` lines
    next to each other) before the workers fork: the processes then share one compiled copy
    instead of each compiling its own (about 0.5 MB per kind). A cheap scan (C-speed regex, about
    3 ms per MB); a kind it misses is compiled where it is first met, as without it."""
    pairs: set[tuple[str, str]] = set()
    for unit, _ in units:
        path, start, end = (unit.path, unit.start, unit.end) if isinstance(unit, Part) else (unit, 0, -1)
        try:
            with open(path, "rb") as fh:
                fh.seek(start)
                data = b"\n" + fh.read(end - start if end >= 0 else -1)
        except OSError:
            continue
        previous = None
        for field_name, value in _TOP_LEVEL.findall(data):
            if previous is not None and previous[0] != field_name:
                api, kind = (previous[1], value) if field_name == b"kind" else (value, previous[1])
                pairs.add((api.decode("ascii"), kind.decode("ascii")))
                previous = None
            else:
                previous = (field_name, value)
    for api_version, kind in sorted(pairs):
        try:
            validator.store.lookup(api_version, kind)
        except InputError:
            pass  # a broken schema is reported where a resource needs it


def _by_bytes(units: list[tuple[str | Part, int]], size: int) -> list[list[str | Part]]:
    chunks: list[list[str | Part]] = [[]]
    filled = 0
    for unit, length in units:
        if filled >= size:
            chunks.append([])
            filled = 0
        chunks[-1].append(unit)
        filled += length
    return chunks


def validate_paths(paths: Sequence[str], options: Options, keep_checked: bool = False,
                   jobs: int | None = None, shard: Shard | None = None) -> ValidationReport:
    """Validate every manifest file under `paths` (only `shard`'s share of them, when given).
    `jobs`: worker processes (default: CPUs, at most 2 unless asked; 1 keeps everything here)."""
    validator = Validator(options)  # fails early on a bad version or location, before any work
    files = iter_manifest_files(paths)
    units = _units(list(shard.select(files) if shard else files))
    report = ValidationReport()
    jobs = jobs or min(os.cpu_count() or 1, 2)
    total = sum(length for _, length in units)
    if jobs <= 1 or len(units) < 2 or total < PARALLEL_MIN_BYTES:
        for unit, _ in units:
            validate_file(validator, unit, report, keep_checked)
        return report
    chunks = _by_bytes(units, max(PART_BYTES, total // (jobs * CHUNKS_PER_JOB)))
    context: Any
    if "fork" in multiprocessing.get_all_start_methods():
        # Workers inherit the loaded definitions and compiled schemas instead of loading their own.
        context = multiprocessing.get_context("fork")
        validator.store.registry()
        _compile_ahead(validator, units)
        _worker["validator"] = validator
        worker_options = None
    else:
        context = multiprocessing.get_context()
        worker_options = replace(options, kubernetes_version=validator.kubernetes_version)
    next_chunk = context.Value("i", 0)
    workers = []
    for _ in range(jobs - 1):  # this process is the last worker: no core left idle
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_serve, args=(next_chunk, chunks, keep_checked, worker_options, sender),
                                  daemon=True)
        process.start()
        sender.close()
        workers.append((process, receiver))
    report.merge(_work(validator, next_chunk, chunks, keep_checked))
    for process, receiver in workers:
        try:
            report.merge(receiver.recv())
        except EOFError:
            process.join()
            raise RuntimeError(f"a validation worker process ended without a result (exit code "
                               f"{process.exitcode})") from None
        finally:
            receiver.close()
        process.join()
    report.checked.sort(key=lambda c: (c.file, c.doc_index, c.line))
    return report
