"""`gitops check`: the CI gate. Fails when generated/ is out of date with the specs."""
from __future__ import annotations

import os

import click

from ..manifests.tree import drift
from ..pipeline import synthesize, terminal_progress, tree_state
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
@click.pass_context
def check(ctx: click.Context, no_cache: bool) -> None:
    """Check that generated/ is exactly what the specs produce (the CI gate)."""
    config = load_config(ctx)
    result = synthesize(config, use_cache=not no_cache, progress=terminal_progress("check"))
    ctx.exit(report_drift(config, result, not no_cache))
