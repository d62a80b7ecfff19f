"""`gitops policy [PATH...]`: run the policies alone on any folder of YAML (default: generated/)."""
from __future__ import annotations

import dataclasses
import os

import click

from ..errors import InputError
from ..findings import Report
from ..report.write import parse_outputs, write
from .common import generated_origin, kubernetes_version_option, load_config, report_options, style_of


def by_environment(resources: list, config, env_name: str | None) -> dict:
    """Resources grouped by environment: --env for all, else generated/<env>/ decides, else none.
    A file under generated/<env>/<app>/ belongs to that app, as in `gitops check`, so waivers
    that match an app apply the same way in both commands."""
    placed = generated_origin(config)
    groups: dict = {}
    for res in resources:
        origin = placed(res.origin)
        if origin is not res.origin:
            res = dataclasses.replace(res, origin=origin)
        groups.setdefault(env_name or origin.env, []).append(res)
    return dict(sorted(groups.items(), key=lambda item: item[0] or ""))


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--env", "env_name", default=None, metavar="NAME",
              help="Apply this environment's policy overrides to every file (default: files under "
                   "generated/<env>/ get their environment's, other files none).")
@kubernetes_version_option
@report_options()
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes reading the files (default: up to 2 CPUs; the rules run in one).")
@click.pass_context
def policy(ctx: click.Context, paths: tuple[str, ...], env_name: str | None, kubernetes_version: str | None,
           outputs: tuple[str, ...], fail_on: str, comment_overflow: str, comment_limit: int,
           jobs: int | None) -> None:
    """Run the policies on folders or files of Kubernetes YAML (default: generated/)."""
    # Imported here: loading the rules costs start-up time every other command would pay.
    from ..policy import config as policy_config
    from ..policy.engine import Engine
    from ..policy.lines import with_lines
    from ..policy.spread import read

    config = load_config(ctx)
    chosen = parse_outputs(outputs)
    policies = policy_config.load(config)
    if kubernetes_version:
        policies = dataclasses.replace(policies, kubernetes_version=kubernetes_version)
    production = config.environment(env_name).production if env_name else False
    complete = not paths  # the whole of generated/: a waiver that matches nothing is stale
    if not paths:
        default = config.path(config.generated_dir)
        if not os.path.isdir(default):
            raise InputError(f"{os.path.relpath(default)}/ does not exist: run `gitops synth` or give paths")
        paths = (os.path.relpath(default),)
    found, helper = read(list(paths), jobs)
    engine = Engine(policies, complete=complete,
                    unseen=frozenset(os.path.dirname(os.path.abspath(t)) for t in found.templates))
    findings = []
    for env, group in by_environment(found.resources, config, env_name).items():
        findings += engine.run(group, env=env, production=config.environment(env).production if env else production)
    # what the reader found (manifest-* ids) gets the configured severity too: one engine for every id
    findings += engine.settle(found.findings, {})
    findings += engine.finish(("manifest", "policy"))
    try:
        lined = with_lines(findings, helper)
    finally:
        if helper is not None:
            helper.close()
    report = Report(findings=lined, resources=len(found.resources), files=found.files,
                    tool="gitops policy", fail_on=fail_on)
    write(report, chosen, style_of(comment_limit, comment_overflow))
    ctx.exit(report.exit_code())
