"""`gitops synth`: write generated/ from the specs."""
from __future__ import annotations

import os
import time

import click

from .common import hold_project_lock, load_config


@click.command()
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@click.option("--allow-empty", is_flag=True, help="Remove the folders of apps no spec exposes any more, even when "
              "apps/ defines no app or a spec file exposes none (refused otherwise).")
@click.pass_context
def synth(ctx: click.Context, no_cache: bool, allow_empty: bool) -> None:
    """Synthesize every app in every environment into generated/."""
    from ..spec.pool import prestart

    prestart()  # a spec loader starts while the synthesis machinery is imported
    from ..write.tree import write_tree
    from ..synth.pipeline import refuse_emptying, synthesize, terminal_progress  # loads cdk8s: only when this command runs
    from ..write.layout import tree_state

    config = load_config(ctx)
    hold_project_lock(ctx, config)
    started = time.monotonic()
    result = synthesize(config, use_cache=not no_cache, progress=terminal_progress("synth"))
    if not allow_empty:
        refuse_emptying(config, result)
    target = config.path(config.generated_dir)
    changed = write_tree(target, result.units, state=tree_state(config, not no_cache))
    rel = os.path.relpath(target)
    state = "updated" if changed else "already up to date"
    click.echo(f"{rel}/ {state}: {len(result.targets)} app environments, {len(result.units)} folders "
               f"({time.monotonic() - started:.2f}s)")
