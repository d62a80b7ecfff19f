"""`gitops sync-plan [PATH...]`: replay an Argo CD sync of each Application's folder (and check Flux
Kustomizations); exit 1 when a sync can never finish."""
from __future__ import annotations

import os

import click

from ..errors import InputError
from .common import generated_origin, load_config, report_options, style_of

# What `sync-plan` checks (catalog.entry.STAGES): waivers of other ids are not called unused here.
STAGES = ("manifest", "sync")


@click.command("sync-plan")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--cluster", metavar="PROFILE", default=None,
              help="Cluster profile (gke, eks, generic, or one of gitops.yaml) whose storage classes decide "
                   "which claims bind on first consumer.")
@report_options()
@click.pass_context
def sync_plan(ctx: click.Context, paths: tuple[str, ...], cluster: str | None, outputs: tuple[str, ...],
              fail_on: str, comment_overflow: str, comment_limit: int) -> None:
    """Show how Argo CD would sync PATH... (default: generated/): phases, hooks, waves, health."""
    from ..findings import Report
    from ..manifests.reader import read_paths
    from ..policy import config as policy_config
    from ..policy.engine import Engine
    from ..report.write import parse_outputs, write
    from ..syncplan import findings, simulate, text

    config = load_config(ctx)
    chosen = parse_outputs(outputs)
    policies = policy_config.load(config)
    whole = not paths
    if not paths:
        default = config.path(config.generated_dir)
        if not os.path.isdir(default):
            raise InputError(f"{os.path.relpath(default)}/ does not exist: run `gitops synth` or give paths")
        paths = (os.path.relpath(default),)
    read = read_paths(list(paths))
    sim = simulate(read.resources, _classes(config, cluster))
    if any(sink.file is None and sink.format == "text" for sink in chosen):
        click.echo(text(sim) + "\n", nl=False)  # the plan, before the findings (other formats stay parseable)
    # The one engine, as in `check`: severities per environment from policy.yaml, and the waivers.
    placed = generated_origin(config)
    engine = Engine(policies, complete=whole)
    by_env: dict = {}
    for res in read.resources:
        by_env.setdefault(placed(res.origin).env, []).append(res)
    for env, group in sorted(by_env.items(), key=lambda item: item[0] or ""):
        engine.see(group, env)
    found = [f if placed(f.origin) is f.origin else _placed(f, placed) for f in read.findings + findings(sim)]
    production = {e.name: e.production for e in config.environments}
    settled = engine.settle(found, production) + engine.finish(STAGES)
    report = Report(settled, resources=len(read.resources), files=read.files, tool="gitops sync-plan",
                    fail_on=fail_on)
    write(report, chosen, style_of(comment_limit, comment_overflow))
    ctx.exit(report.exit_code())


def _placed(finding, placed):
    from dataclasses import replace

    return replace(finding, origin=placed(finding.origin))


def _classes(config, name: str | None) -> dict[str, str]:
    """Storage class binding modes of the named profile's inventory (none named: the known classes)."""
    if name is None:
        return {}
    from ..syncplan.health import inventory_classes
    from ..synth.cluster import BUILTIN, SECTION

    profiles = {**BUILTIN, **config.sections.get(SECTION, {})}
    if name not in profiles:
        raise InputError(f"--cluster: got {name!r}; expected one of {', '.join(sorted(profiles))}")
    return inventory_classes(profiles[name])
