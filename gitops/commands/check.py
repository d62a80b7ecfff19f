"""`gitops check`: the CI gate. Fails when generated/ is out of date with the specs, or when the
synthesized resources do not validate against their schemas (one report, one exit code)."""
from __future__ import annotations

import os

import click

from ..findings import Finding
from ..manifests.resource import Origin
from ..manifests.tree import drift
from ..report import ValidationReport, parse_outputs
from ..schema.run import validate_resources
from ..schema.validator import Validator
from .common import load_config
from .validate import FAIL_ON, options_from, validation_options, write_outputs


def report_drift(config, result, err: bool = False) -> int:
    target = config.path(config.generated_dir)
    found = drift(target, result.files)
    rel = os.path.relpath(target)
    if found.clean:
        click.echo(err=err, message=f"{rel}/ is in sync with the specs ({len(result.files)} files)")
        return 0
    for name in found.added:
        click.echo(err=err, message=f"missing:  {rel}/{name} (the specs produce it; it is not committed)")
    for name in found.removed:
        click.echo(err=err, message=f"stale:    {rel}/{name} (committed; the specs no longer produce it)")
    for name in found.changed:
        click.echo(err=err, message=f"changed:  {rel}/{name}")
        click.echo(err=err, message=found.diffs[name])
    total = len(found.added) + len(found.removed) + len(found.changed)
    click.echo(err=err, message=f"{rel}/ is out of date with the specs: {total} file(s) differ. "
               "Run `gitops synth` and commit the result.")
    return 1


def drift_findings(config, result) -> list[Finding]:
    found = drift(config.path(config.generated_dir), result.files)
    rel = os.path.relpath(config.path(config.generated_dir))
    out = []
    for names, what in ((found.added, "missing: the specs produce it, it is not committed"),
                        (found.removed, "stale: committed, the specs no longer produce it"),
                        (found.changed, "differs from what the specs produce")):
        out += [Finding(rule="generated-drift", severity="error", message=what, origin=Origin(file=f"{rel}/{name}"),
                        hint="run `gitops synth` and commit the result") for name in names]
    return out


@click.command()
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@validation_options
@click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT[=FILE]",
              help="Format of the validation report (as for `gitops validate`); repeatable.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Lowest finding severity that makes the exit code 1 (drift always does).")
@click.pass_context
def check(ctx: click.Context, no_cache: bool, kubernetes_version: str | None, strict: bool,
          ignore_missing_schemas: bool, skip: tuple[str, ...], schema_locations: tuple[str, ...],
          outputs: tuple[str, ...], fail_on: str) -> None:
    """Check that generated/ is exactly what the specs produce, and that it validates (the CI gate)."""
    from ..pipeline import synthesize, terminal_progress  # loads cdk8s: only when this command runs

    config = load_config(ctx)
    chosen = parse_outputs(outputs)
    options = options_from(config, kubernetes_version, strict, ignore_missing_schemas, skip, schema_locations)
    validator = Validator(options)  # a bad version or location fails before the slow synthesis
    result = synthesize(config, use_cache=not no_cache, progress=terminal_progress("check"))
    # Machine-readable output on stdout must stay parseable: the drift narrative goes to stderr then.
    drift_code = report_drift(config, result, err=any(t is None and n != "text" for n, t in chosen))
    report = ValidationReport(tool="gitops check", files=len({r.origin.file for r in result.resources()}))
    report.add(drift_findings(config, result))
    validate_resources(validator, result.resources(), report,
                       keep_checked=any(name in ("junit", "tap") for name, _ in chosen))
    write_outputs(report, chosen)
    ctx.exit(max(drift_code, report.exit_code(fail_on)))
