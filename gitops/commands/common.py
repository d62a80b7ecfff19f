"""Helpers shared by the commands."""
from __future__ import annotations

import click

from .. import config as config_mod
from ..config import Config


def load_config(ctx: click.Context) -> Config:
    return config_mod.load((ctx.obj or {}).get("project"))


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
