"""Helpers shared by the commands."""
from __future__ import annotations

import click

from .. import config as config_mod
from ..config import Config
from ..projectlock import ProjectLock


def load_config(ctx: click.Context) -> Config:
    return config_mod.load((ctx.obj or {}).get("project"))


def hold_project_lock(ctx: click.Context, config: Config, shared: bool = False) -> None:
    """Take the project lock for the rest of this command: exclusive for a command that writes
    generated/ (or the schemas), shared for one that only reads it (cache files are written
    whole by renames, so readers may write them side by side)."""
    lock = ProjectLock(config.path(config.cache_dir))
    lock.acquire(on_wait=lambda holder: click.echo(f"waiting for another gitops run ({holder})", err=True),
                 shared=shared)
    ctx.call_on_close(lock.release)


def shard_option(help_text: str):
    """`--shard K/N` (see gitops.shard)."""
    from ..shard import parse

    def convert(ctx: click.Context, param: click.Parameter, value: str | None):
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option("--shard", callback=convert, default=None, metavar="K/N", help=help_text)
