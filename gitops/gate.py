"""The CI gate behind `gitops check`: drift and findings in one pass, one verdict, several outputs.

`--output FORMAT[=FILE]` may be given several times; without a file the output goes to stdout.
`text` and `markdown` (the pull-request comment) live here; any other format is the module
`gitops.report.<format>` with a `render(report) -> str` function.
"""
from __future__ import annotations

import glob
import importlib
import os
import pkgutil
from dataclasses import dataclass
from typing import Callable

import click

from .config import Config
from .errors import InputError
from .diff import render as plan_render
from .findings import Finding, Report
from .manifests.tree import Drift, drift
from . import stages
from .pipeline import synthesize, terminal_progress, tree_state
from .report import markdown
from .gitref import Scope, synthesize_scope
from .review import Review, drift_in_scope, review, sides
from .shard import Shard
from .stages import findings_for

BUILT_IN = ("text", "markdown")


@dataclass(frozen=True)
class Sink:
    format: str
    file: str | None  # None: stdout


@dataclass(frozen=True)
class Outcome:
    """Everything one run of the gate found, for the renderers."""

    config: Config
    drift: Drift
    folders: int  # generated/ folders compared
    report: Report
    review: Review | None
    fail_on_new: bool
    code: int

    @property
    def passed(self) -> bool:
        return self.code == 0


def _external(name: str):
    try:
        return importlib.import_module(f"gitops.report.{name}")
    except ImportError:
        return None


def formats() -> list[str]:
    """The built-in formats, then every module of gitops.report with a `render(report)`."""
    from . import report

    others = sorted(m.name for m in pkgutil.iter_modules(report.__path__)
                    if m.name not in BUILT_IN and hasattr(_external(m.name), "render"))
    return list(BUILT_IN) + others


def parse_outputs(values: tuple[str, ...] | list[str]) -> list[Sink]:
    """`text`, `sarif=out.sarif`, … -> sinks; at most one of them on stdout."""
    sinks = []
    for value in values or ("text",):
        name, _, file = value.partition("=")
        name = name.strip().lower()
        if name not in BUILT_IN:
            module = _external(name)
            if module is None or not hasattr(module, "render"):
                raise InputError(f"--output {value!r}: unknown format {name!r}; expected one of {', '.join(formats())}")
        if _ and not file:
            raise InputError(f"--output {value!r}: expected FORMAT=FILE with a file name")
        sinks.append(Sink(name, file or None))
    if sum(1 for s in sinks if s.file is None) > 1:
        raise InputError("--output: only one output can go to stdout; give the others a file (FORMAT=FILE)")
    return sinks


def drift_lines(config: Config, found: Drift, folders: int) -> list[str]:
    rel = os.path.relpath(config.path(config.generated_dir))
    if found.clean:
        return [f"{rel}/ is in sync with the specs ({folders} folders)"]
    lines = [f"missing:  {rel}/{n} (the specs produce it; it is not committed)" for n in found.added]
    lines += [f"stale:    {rel}/{n} (committed; the specs no longer produce it)" for n in found.removed]
    for name in found.changed:
        lines += [f"changed:  {rel}/{name}", found.diffs[name]]
    total = len(found.added) + len(found.removed) + len(found.changed)
    lines.append(f"{rel}/ is out of date with the specs: {total} file(s) differ. "
                 "Run `gitops synth` and commit the result.")
    return lines


def _finding_line(f: Finding, label: str = "") -> str:
    where = f"{f.file}:{f.where_line}" if f.where_line else f.file
    spec = f" [{f.origin.spec_file}:{f.origin.spec_line}, app {f.origin.app}, env {f.origin.env}]" \
        if f.origin.spec_file else ""
    waived = f" (waived: {f.waiver_reason})" if f.waived else ""
    return f"{label}{where}: {f.severity}: {f.message} ({f.rule}){spec}{waived}"


def text(outcome: Outcome) -> str:
    lines = drift_lines(outcome.config, outcome.drift, outcome.folders)
    rev = outcome.review
    if rev is None:
        lines += [_finding_line(f) for f in outcome.report.sorted()]
    else:
        scope = "every app" if rev.scope.everything else f"{len(rev.scope.spec_files)} changed spec file(s)"
        lines += ["", f"Compared with {rev.base.ref} ({rev.base.commit[:12]}), {scope}:", plan_render.text(rev.plan).rstrip()]
        lines += ["", f"Findings: {len(rev.delta.new)} new, {len(rev.delta.fixed)} fixed, "
                  f"{len(rev.delta.existing)} existing"]
        lines += [_finding_line(f, "new:      ") for f in rev.delta.new]
        lines += [_finding_line(f, "fixed:    ") for f in rev.delta.fixed]
        lines += [_finding_line(f, "existing: ") for f in rev.delta.existing]
    lines.append(f"gitops check {'passed' if outcome.passed else 'failed'}")
    return "\n".join(lines) + "\n"


def markdown_parts(outcome: Outcome, limit: int, overflow: str) -> list[str]:
    drifted = len(outcome.drift.added) + len(outcome.drift.removed) + len(outcome.drift.changed)
    return markdown.render(outcome.report.sorted(), outcome.review, outcome.passed, drifted,
                           outcome.fail_on_new, limit=limit, overflow=overflow)


def write_markdown(parts: list[str], file: str) -> list[str]:
    """One part: FILE. Several: FILE-1.md, FILE-2.md, … (stale parts of an earlier run removed)."""
    stem, ext = os.path.splitext(file)
    for old in glob.glob(glob.escape(stem) + "-[0-9]*" + (ext or "")):
        os.remove(old)
    if len(parts) == 1:
        names = [file]
    else:
        if os.path.exists(file):
            os.remove(file)
        names = [f"{stem}-{i}{ext or '.md'}" for i in range(1, len(parts) + 1)]
    for name, part in zip(names, parts):
        _write(name, part)
    return names


def _write(name: str, content: str) -> None:
    folder = os.path.dirname(name)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(name, "w", encoding="utf-8") as fh:
        fh.write(content)


def emit(outcome: Outcome, sinks: list[Sink], limit: int = markdown.GITHUB_LIMIT, overflow: str = "split",
         echo: Callable[[str], None] = lambda s: click.echo(s, nl=False)) -> None:
    for sink in sinks:
        if sink.format == "markdown":
            parts = markdown_parts(outcome, limit, overflow)
            if sink.file:
                write_markdown(parts, sink.file)
            else:
                echo("\n<!-- gitops:next-comment -->\n".join(parts))
            continue
        content = text(outcome) if sink.format == "text" else _external(sink.format).render(outcome.report)
        if sink.file:
            _write(sink.file, content)
        else:
            echo(content)


def shard_scope(config: Config, shard: Shard) -> Scope:
    """The apps of the spec files (relative to the project root) that belong to `shard`."""
    from .spec.loader import spec_files

    root = config.root
    files = [os.path.relpath(path, root) for path in spec_files(config.path(config.apps_dir))]
    return Scope(False, frozenset(shard.select(files)), reason=f"shard {shard}")


def run(config: Config, base: str | None = None, fail_on_new: bool = False, use_cache: bool = True,
        fail_on: str = "error", shard: Shard | None = None) -> Outcome:
    """Synthesize, check drift and findings (against `base` when given; only `shard`'s apps when
    given) and decide the exit code."""
    if fail_on_new and not base:
        raise InputError("--fail-on-new needs --base REF (the findings on the base are the baseline)")
    if shard and base:
        raise InputError("--shard and --base cannot be combined: --base already checks only the changed apps")
    rev = None
    if shard:
        scope = shard_scope(config, shard)
        synthesis = synthesize_scope(config, scope, use_cache=use_cache)
        found, folders = drift_in_scope(config, synthesis, scope)
        resources = synthesis.resources() if stages.FINDING_STAGES else []
        findings = findings_for(config, resources, complete=False)
    elif base:
        before, head, scope = sides(config, base, None, use_cache)
        synthesis = head.synthesis
        found, folders = drift_in_scope(config, synthesis, scope, before, use_cache)
        resources = head.resources
        findings = findings_for(config, resources, base=before.resources, complete=scope.everything)
        rev = review(config, before, head, scope, head_findings=findings)
    else:
        synthesis = synthesize(config, use_cache=use_cache, progress=terminal_progress("check"))
        found = drift(config.path(config.generated_dir), synthesis.units, tree_state(config, use_cache))
        folders = len(synthesis.units)
        # Resources are read from the cache only when some check needs them.
        resources = synthesis.resources() if stages.FINDING_STAGES else []
        findings = findings_for(config, resources)
    report = Report(list(findings), resources=len(resources), files=folders)
    if rev is not None and fail_on_new:
        findings_code = 1 if rev.delta.failing_new(fail_on) else 0
    else:
        findings_code = report.exit_code(fail_on)
    code = max(0 if found.clean else 1, findings_code)
    return Outcome(config, found, folders, report, rev, fail_on_new, code)
