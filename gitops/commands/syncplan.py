"""`gitops sync-plan [PATH...]`: replay an Argo CD sync of each Application's folder (and check Flux
Kustomizations); exit 1 when a sync can never finish."""
from __future__ import annotations

import os

import click

from ..errors import InputError
from .common import load_config

FAIL_ON = ("error", "warning", "info", "never")


@click.command("sync-plan")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.pass_context
def sync_plan(ctx: click.Context, paths: tuple[str, ...], fail_on: str) -> None:
    """Show how Argo CD would sync PATH... (default: generated/): phases, hooks, waves, health."""
    from ..findings import Report
    from ..manifests.reader import read_paths
    from ..syncplan import findings, simulate, text

    if not paths:
        config = load_config(ctx)
        default = config.path(config.generated_dir)
        if not os.path.isdir(default):
            raise InputError(f"{os.path.relpath(default)}/ does not exist: run `gitops synth` or give paths")
        paths = (os.path.relpath(default),)
    read = read_paths(list(paths))
    sim = simulate(read.resources)
    click.echo(text(sim), nl=False)
    for f in read.findings:
        click.echo(f"{f.file}:{f.where_line}: {f.severity}: {f.message} ({f.rule})")
    report = Report(read.findings + findings(sim), resources=len(read.resources), files=read.files)
    ctx.exit(report.exit_code(fail_on))
