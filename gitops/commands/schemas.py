"""`gitops schemas import CRD_FILE_OR_DIR...`: CRDs to JSON schemas under schemas/ (paths.schemas)."""
from __future__ import annotations

import os

import click

from ..errors import InputError
from ..schema.crd import import_crds
from .common import hold_project_lock, load_config


@click.group()
def schemas() -> None:
    """Manage the JSON schemas of custom resources."""


@schemas.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.pass_context
def import_(ctx: click.Context, sources: tuple[str, ...]) -> None:
    """Import every CustomResourceDefinition in the given files or folders."""
    config = load_config(ctx)
    hold_project_lock(ctx, config)
    target = config.path(config.schemas_dir)
    written = import_crds(list(sources), target)
    if not written:
        raise InputError(f"no CustomResourceDefinition found in {', '.join(sources)}")
    for item in written:
        click.echo(f"{item.group}/{item.version} {item.kind} -> {os.path.relpath(item.path)}")
    click.echo(f"{len(written)} schema(s) written to {os.path.relpath(target)}/")
