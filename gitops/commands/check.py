"""`gitops check`: the CI gate. Fails when generated/ is out of date with the specs or a check fails.

With --base REF it also compares with a pull request's base: the plan of resource changes and the
policy delta (new, fixed, existing findings); --fail-on-new then fails only on new findings.
"""
from __future__ import annotations

import dataclasses

import click

from .common import hold_project_lock, kubernetes_version_option, load_config, report_options, shard_option, style_of


@click.command()
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@click.option("--base", metavar="REF", help="Compare with this git ref (a pull request's base): the plan and "
              "the policy delta; only the apps whose specs changed are synthesized and checked.")
@click.option("--fail-on-new", is_flag=True, help="Fail only on findings the change introduces (needs --base).")
@kubernetes_version_option
@report_options()
@shard_option("Check only this runner's share of the apps (stable by spec file): their synthesis, drift, "
              "schemas and policies; `gitops merge` joins the shards' JSON or SARIF reports.")
@click.pass_context
def check(ctx: click.Context, no_cache: bool, base: str | None, fail_on_new: bool, kubernetes_version: str | None,
          outputs: tuple[str, ...], fail_on: str, comment_overflow: str, comment_limit: int, shard) -> None:
    """Check that generated/ is exactly what the specs produce, and run the checks (the CI gate)."""
    from ..spec.pool import prestart

    prestart()  # a spec loader starts while the synthesis machinery is imported
    from ..check import gate  # imported here: synthesis machinery other commands need not load
    from ..report.write import parse_outputs, write

    config = load_config(ctx)
    hold_project_lock(ctx, config, shared=True)
    if kubernetes_version:
        config = dataclasses.replace(config, kubernetes_version=kubernetes_version)
    sinks = parse_outputs(outputs)
    report = gate.run(config, base=base, fail_on_new=fail_on_new, use_cache=not no_cache, fail_on=fail_on,
                      shard=shard)
    write(report, sinks, style_of(comment_limit, comment_overflow))
    ctx.exit(report.exit_code())
