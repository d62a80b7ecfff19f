"""`gitops synth`: write generated/ from the specs."""
from __future__ import annotations

import os
import time

import click

from .common import hold_project_lock, load_config


@click.command()
@click.option("--no-cache", is_flag=True, help="Synthesize every app again, ignoring the cache.")
@click.pass_context
def synth(ctx: click.Context, no_cache: bool) -> None:
    """Synthesize every app in every environment into generated/."""
    from ..manifests.tree import write_tree
    from ..pipeline import synthesize, terminal_progress, tree_state  # loads cdk8s: only when this command runs

    config = load_config(ctx)
    hold_project_lock(ctx, config)
    started = time.monotonic()
    result = synthesize(config, use_cache=not no_cache, progress=terminal_progress("synth"))
    target = config.path(config.generated_dir)
    changed = write_tree(target, result.units, state=tree_state(config, not no_cache))
    rel = os.path.relpath(target)
    state = "updated" if changed else "already up to date"
    click.echo(f"{rel}/ {state}: {len(result.targets)} app environments, {len(result.units)} folders "
               f"({time.monotonic() - started:.2f}s)")
