"""Helpers shared by the commands."""
from __future__ import annotations

import click

from .. import config as config_mod
from ..config import Config


def load_config(ctx: click.Context) -> Config:
    return config_mod.load((ctx.obj or {}).get("project"))
