"""`gitops check`: the CI gate. Fails when generated/ is out of date with the specs or a check fails.

With --base REF it also compares with a pull request's base: the plan of resource changes and the
policy delta (new, fixed, existing findings); --fail-on-new then fails only on new findings.
"""
from __future__ import annotations

import click

from ..report.model import GITHUB_LIMIT, OVERFLOW
from .common import load_config, shard_option


@click.command()
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="Lowest finding severity that fails the check.")
@click.option("--base", metavar="REF", help="Compare with this git ref (a pull request's base): the plan and "
              "the policy delta; only the apps whose specs changed are synthesized and checked.")
@click.option("--fail-on-new", is_flag=True, help="Fail only on findings the change introduces (needs --base).")
@click.option("--output", "outputs", multiple=True, metavar="FORMAT[=FILE]",
              help="text (default), markdown (the pull-request comment) or another report format; "
                   "repeat for several, each to stdout or to a file.")
@click.option("--comment-overflow", type=click.Choice(OVERFLOW), default="split", show_default=True,
              help="A markdown comment over the limit: split into FILE-1.md, FILE-2.md, … or truncate with a notice.")
@click.option("--comment-limit", type=click.IntRange(min=4000), default=GITHUB_LIMIT, show_default=True,
              help="Largest comment in characters (GitHub's limit).")
@shard_option("Check only this runner's share of the apps (stable by spec file): their synthesis, drift, "
              "schemas and policies; `gitops merge` joins the shards' JSON or SARIF reports.")
@click.pass_context
def check(ctx: click.Context, no_cache: bool, fail_on: str, base: str | None, fail_on_new: bool, outputs: tuple[str, ...],
          comment_overflow: str, comment_limit: int, shard) -> None:
    """Check that generated/ is exactly what the specs produce, and run the checks (the CI gate)."""
    from .. import gate  # imported here: synthesis machinery other commands need not load

    config = load_config(ctx)
    sinks = gate.parse_outputs(outputs)
    outcome = gate.run(config, base=base, fail_on_new=fail_on_new, use_cache=not no_cache, fail_on=fail_on,
                       shard=shard)
    gate.emit(outcome, sinks, limit=comment_limit, overflow=comment_overflow)
    ctx.exit(outcome.code)
