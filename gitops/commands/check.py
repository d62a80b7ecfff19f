"""`gitops check`: the CI gate. Fails when generated/ is out of date with the specs."""
from __future__ import annotations

import os

import click

from ..findings import Report
from ..manifests.tree import drift
from ..pipeline import synthesize, terminal_progress, tree_state
from ..policy import config as policy_config
from ..policy.engine import run_environments
from ..policy.lines import with_lines
from ..report import render
from .common import load_config


def report_drift(config, result, use_cache: bool = True) -> int:
    target = config.path(config.generated_dir)
    found = drift(target, result.units, tree_state(config, use_cache))
    rel = os.path.relpath(target)
    if found.clean:
        click.echo(f"{rel}/ is in sync with the specs ({len(result.units)} folders)")
        return 0
    for name in found.added:
        click.echo(f"missing:  {rel}/{name} (the specs produce it; it is not committed)")
    for name in found.removed:
        click.echo(f"stale:    {rel}/{name} (committed; the specs no longer produce it)")
    for name in found.changed:
        click.echo(f"changed:  {rel}/{name}")
        click.echo(found.diffs[name])
    total = len(found.added) + len(found.removed) + len(found.changed)
    click.echo(f"{rel}/ is out of date with the specs: {total} file(s) differ. "
               "Run `gitops synth` and commit the result.")
    return 1


@click.command()
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="Lowest policy severity that fails the check.")
@click.pass_context
def check(ctx: click.Context, no_cache: bool, fail_on: str) -> None:
    """Check that generated/ is exactly what the specs produce (the CI gate)."""
    config = load_config(ctx)
    result = synthesize(config, use_cache=not no_cache, progress=terminal_progress("check"))
    code = report_drift(config, result, not no_cache)
    ctx.exit(max(code, report_policies(config, result, fail_on)))


def report_policies(config, result, fail_on: str = "error") -> int:
    """The policies, per environment, on what the specs produce (origins name app and env)."""
    resources = result.resources()
    findings = run_environments(policy_config.load(config), config.environments, resources)
    report = Report(findings=with_lines(findings), resources=len(resources),
                    files=len({r.origin.file for r in resources}))
    click.echo(render("text", report), nl=False)
    return report.exit_code(fail_on)
