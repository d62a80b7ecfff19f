"""Helpers shared by the commands: the project settings, and the options every reporting command
takes the same way (`--output FORMAT[=FILE]`, `--fail-on`, the comment size, `-k`, `--shard`)."""
from __future__ import annotations

import re
from typing import Any, Callable

import click

from .. import config as config_mod
from ..config import Config
from ..projectlock import ProjectLock

FAIL_ON = ("error", "warning", "info", "never")
GITHUB_LIMIT = 65536  # report.model.GITHUB_LIMIT; repeated here so that `--help` loads no report module
OVERFLOW = ("split", "truncate")


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
    """`--shard K/N` (see gitops.check.shard)."""
    from ..check.shard import parse

    def convert(ctx: click.Context, param: click.Parameter, value: str | None):
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option("--shard", callback=convert, default=None, metavar="K/N", help=help_text)


def _version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"1\.[0-9]{2}", value):
        raise click.BadParameter(f"got {value!r}; expected a version such as 1.33")
    return value


def kubernetes_version_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--kubernetes-version", "-k", metavar="1.XX", default=None, callback=_version,
                        help="Kubernetes version to check against (default: kubernetesVersion in gitops.yaml).")(func)


def report_options(default: str = "text") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--output/-o FORMAT[=FILE]` (repeatable), `--fail-on`, and the pull-request comment's size:
    the same for every command that reports findings (report/write.py writes them)."""
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed([
            click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT[=FILE]",
                         help=f"{default} (default), text, json, junit, sarif, tap, github or markdown (the "
                              "pull-request comment); FORMAT=FILE writes to a file; repeatable."),
            click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
                         help="Lowest finding severity that makes the exit code 1."),
            click.option("--comment-overflow", type=click.Choice(OVERFLOW), default="split", show_default=True,
                         help="A markdown comment over the limit: split into FILE-1.md, FILE-2.md, ... or "
                              "truncate with a notice."),
            click.option("--comment-limit", type=click.IntRange(min=4000), default=GITHUB_LIMIT, show_default=True,
                         help="Largest comment in characters (GitHub's limit)."),
        ]):
            func = decorator(func)
        return func
    return decorate


def generated_origin(config: Config) -> Callable[[Any], Any]:
    """Origin -> the same Origin with its environment and app when its file is under
    generated/<env>/<app>/ (as `gitops check` knows them), so that per-environment severities and
    waivers matching an app apply the same way in `check`, `policy` and `validate`."""
    import dataclasses
    import os

    generated = os.path.abspath(config.path(config.generated_dir))
    envs = set(config.env_names)

    def placed(origin: Any) -> Any:
        if not origin.file or (origin.env and origin.app):
            return origin
        rel = os.path.relpath(os.path.abspath(origin.file), generated).split(os.sep)
        env = rel[0] if len(rel) > 1 and rel[0] in envs else None
        if env is None:
            return origin
        app = rel[1] if len(rel) > 2 and not rel[1].startswith("_") else None
        return dataclasses.replace(origin, env=origin.env or env, app=origin.app or app)
    return placed


def style_of(comment_limit: int, comment_overflow: str):
    from ..report.model import Style

    return Style(comment_limit=comment_limit, comment_overflow=comment_overflow)
