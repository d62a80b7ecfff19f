"""`gitops diff --base REF [--head REF]`: what a change does to each environment, resource by resource."""
from __future__ import annotations

import click

from .common import hold_project_lock, load_config

PLAN_FORMATS = ("text", "markdown", "json")  # a plan, not findings: its own three formats


@click.command()
@click.option("--base", metavar="REF", required=True, help="The git ref to compare with (e.g. origin/main).")
@click.option("--head", metavar="REF", default=None, help="The git ref to compare (default: the working tree).")
@click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT[=FILE]",
              help="text (default), markdown (the pull-request comment) or json of the plan; FORMAT=FILE "
                   "writes to a file; repeatable.")
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@click.pass_context
def diff(ctx: click.Context, base: str, head: str | None, outputs: tuple[str, ...], no_cache: bool) -> None:
    """Show the plan: resources created, updated, deleted and renamed between two versions."""
    # Imported here: the review machinery (synthesis of both sides) is start-up time for every command.
    from ..spec.pool import prestart

    prestart()  # a spec loader starts while the synthesis machinery is imported
    from ..diff import render
    from ..report import markdown
    from ..report.write import parse_outputs, write_parts
    from ..review.pull_request import review, sides

    config = load_config(ctx)
    hold_project_lock(ctx, config, shared=True)
    sinks = parse_outputs(outputs, formats=PLAN_FORMATS)
    before, after, scope = sides(config, base, head, use_cache=not no_cache)
    result = review(config, before, after, scope, head_findings=[], base_findings=[])
    for sink in sinks:
        if sink.format == "json":
            parts = [render.as_json(result.plan)]
        elif sink.format == "markdown":
            parts = markdown.comment(None, result, title="gitops diff: the plan")
        else:
            parts = [render.text(result.plan)]
        if sink.file is None:
            click.echo(markdown.SEPARATOR.join(parts), nl=False)
        else:
            write_parts(sink.file, parts, sink.format)
