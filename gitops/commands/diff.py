"""`gitops diff --base REF [--head REF]`: what a change does to each environment, resource by resource."""
from __future__ import annotations

import click

from .common import hold_project_lock, load_config


@click.command()
@click.option("--base", metavar="REF", required=True, help="The git ref to compare with (e.g. origin/main).")
@click.option("--head", metavar="REF", default=None, help="The git ref to compare (default: the working tree).")
@click.option("--output", "output", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Plan format.")
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@click.pass_context
def diff(ctx: click.Context, base: str, head: str | None, output: str, no_cache: bool) -> None:
    """Show the plan: resources created, updated, deleted and renamed between two versions."""
    # Imported here: the review machinery (synthesis of both sides) is start-up time for every command.
    from ..diff import render
    from ..report import markdown
    from ..review import review, sides

    config = load_config(ctx)
    hold_project_lock(ctx, config, shared=True)
    before, after, scope = sides(config, base, head, use_cache=not no_cache)
    result = review(config, before, after, scope, head_findings=[], base_findings=[])
    if output == "json":
        click.echo(render.as_json(result.plan), nl=False)
    elif output == "markdown":
        click.echo("\n<!-- gitops:next-comment -->\n".join(markdown.render([], result, title="gitops diff: the plan")), nl=False)
    else:
        click.echo(render.text(result.plan), nl=False)
