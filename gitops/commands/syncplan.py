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
@click.option("--cluster", metavar="PROFILE", default=None,
              help="Cluster profile (gke, eks, generic, or one of gitops.yaml) whose storage classes decide "
                   "which claims bind on first consumer.")
@click.pass_context
def sync_plan(ctx: click.Context, paths: tuple[str, ...], fail_on: str, cluster: str | None) -> None:
    """Show how Argo CD would sync PATH... (default: generated/): phases, hooks, waves, health."""
    from ..findings import Report
    from ..manifests.reader import read_paths
    from ..syncplan import findings, simulate, text

    config = load_config(ctx) if not paths or cluster else None
    if not paths:
        assert config is not None
        default = config.path(config.generated_dir)
        if not os.path.isdir(default):
            raise InputError(f"{os.path.relpath(default)}/ does not exist: run `gitops synth` or give paths")
        paths = (os.path.relpath(default),)
    read = read_paths(list(paths))
    sim = simulate(read.resources, _classes(config, cluster))
    click.echo(text(sim), nl=False)
    for f in read.findings:
        click.echo(f"{f.file}:{f.where_line}: {f.severity}: {f.message} ({f.rule})")
    report = Report(read.findings + findings(sim), resources=len(read.resources), files=read.files)
    ctx.exit(report.exit_code(fail_on))


def _classes(config, name: str | None) -> dict[str, str]:
    """Storage class binding modes of the named profile's inventory (none named: the known classes)."""
    if name is None:
        return {}
    from ..syncplan.health import inventory_classes
    from ..synth.cluster import BUILTIN, SECTION

    profiles = {**BUILTIN, **(config.sections.get(SECTION, {}) if config is not None else {})}
    if name not in profiles:
        raise InputError(f"--cluster: got {name!r}; expected one of {', '.join(sorted(profiles))}")
    return inventory_classes(profiles[name])
