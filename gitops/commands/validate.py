"""`gitops validate [PATH...]`: check manifests against Kubernetes and imported CRD schemas."""
from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from ..errors import InputError
from ..check.shard import Shard
from .common import kubernetes_version_option, load_config, report_options, shard_option, style_of

if TYPE_CHECKING:
    from ..schema.validator import Options

def options_from(config, kubernetes_version: str | None, strict: bool, ignore_missing: bool,
                 skip: tuple[str, ...], locations: tuple[str, ...]) -> "Options":
    from ..schema.validator import Options

    schemas = config.path(config.schemas_dir)
    kinds = frozenset(k.strip() for value in skip for k in value.split(",") if k.strip())
    return Options(kubernetes_version=kubernetes_version or config.kubernetes_version, strict=strict,
                   ignore_missing_schemas=ignore_missing, skip_kinds=kinds,
                   schemas_dir=os.path.relpath(schemas) if os.path.isdir(schemas) else None,
                   locations=tuple(locations))


def validation_options(func):
    """The flags `validate` shares with `check`."""
    for decorator in reversed([
        kubernetes_version_option,
        click.option("--strict/--no-strict", default=True, show_default=True,
                     help="Unknown fields and duplicate keys are errors."),
        click.option("--ignore-missing-schemas", is_flag=True,
                     help="Skip resources with no schema instead of reporting an error."),
        click.option("--skip", multiple=True, metavar="KIND[,KIND]",
                     help="Kinds (or apiVersion/Kind) not to validate; repeatable."),
        click.option("--schema-location", "schema_locations", multiple=True, metavar="TEMPLATE",
                     help="Extra local schema location, kubeconform template syntax; repeatable."),
        click.option("--cluster", metavar="PROFILE", default=None,
                     help="Cluster profile to check against (gke, eks, generic or one from gitops.yaml): Pod "
                          "Security default, inventory, node shapes. Default: the environment's profile for "
                          "files under generated/<env>/, else generic."),
    ]):
        func = decorator(func)
    return func


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@validation_options
@report_options()
@shard_option("Check only this runner's share of the files (stable by path); `gitops merge` joins the "
              "shards' reports.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: up to 2 CPUs).")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], kubernetes_version: str | None, strict: bool,
             ignore_missing_schemas: bool, skip: tuple[str, ...], schema_locations: tuple[str, ...],
             cluster: str | None, outputs: tuple[str, ...], fail_on: str, comment_overflow: str, comment_limit: int,
             shard: Shard | None,
             jobs: int | None) -> None:
    """Validate Kubernetes manifests under PATH... (default: generated/) against their schemas."""
    from ..report.write import parse_outputs, write

    config = load_config(ctx)
    chosen = parse_outputs(outputs)
    if not paths:
        default = config.path(config.generated_dir)
        if not os.path.isdir(default):
            raise InputError(f"{os.path.relpath(default)}/ does not exist: run `gitops synth` or give paths")
        paths = (os.path.relpath(default),)
    from ..admission.run import add_cluster_findings, profile_named  # here, like validate_paths below
    from ..admission.stage import relevant

    if cluster is not None:
        profile_named(config, cluster)  # a bad name is an input error before any work
    options = replace(options_from(config, kubernetes_version, strict, ignore_missing_schemas, skip, schema_locations),
                      keep=relevant)
    keep_checked = any(sink.format in ("junit", "tap") for sink in chosen)
    from ..schema.run import validate_paths  # here: `policy` and `merge` share this module's helpers

    report = validate_paths(list(paths), options, keep_checked=keep_checked, jobs=jobs, shard=shard)
    add_cluster_findings(report, config, cluster, options.kubernetes_version, shard=shard, paths=list(paths))
    report.fail_on = fail_on
    write(report, chosen, style_of(comment_limit, comment_overflow))
    ctx.exit(report.exit_code())
