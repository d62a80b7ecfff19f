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
    from ..findings import ValidationReport
    from ..manifests.resource import Resource
    from ..schema.validator import Options

# What `validate` checks (catalog.entry.STAGES): a waiver of another stage's id is not called unused here.
STAGES = ("manifest", "schema", "api-server", "admission")


def kept(res: "Resource") -> bool:
    """What the workers keep after validating a resource: what the cluster checks need, and what
    the waivers need (module level, so that worker processes can receive it)."""
    from ..admission.stage import relevant
    from ..policy.reach import needed

    return relevant(res) or needed(res)

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
    whole = not paths  # the whole of generated/: a waiver that matches nothing is stale
    if not paths:
        default = config.path(config.generated_dir)
        if not os.path.isdir(default):
            raise InputError(f"{os.path.relpath(default)}/ does not exist: run `gitops synth` or give paths")
        paths = (os.path.relpath(default),)
    from ..admission.run import add_cluster_findings, profile_named  # here, like validate_paths below
    from ..policy import config as policy_config

    if cluster is not None:
        profile_named(config, cluster)  # a bad name is an input error before any work
    policies = policy_config.load(config)  # a broken policy or waiver file is an input error before any work
    options = replace(options_from(config, kubernetes_version, strict, ignore_missing_schemas, skip, schema_locations),
                      keep=kept)
    keep_checked = any(sink.format in ("junit", "tap") for sink in chosen)
    from ..schema.run import validate_paths  # here: `policy` and `merge` share this module's helpers

    report = validate_paths(list(paths), options, keep_checked=keep_checked, jobs=jobs, shard=shard)
    resources = list(report.kept)
    add_cluster_findings(report, config, cluster, options.kubernetes_version, shard=shard, paths=list(paths))
    settle(report, config, policies, resources, complete=whole and shard is None)
    report.fail_on = fail_on
    write(report, chosen, style_of(comment_limit, comment_overflow))
    ctx.exit(report.exit_code())


def settle(report: "ValidationReport", config, policies, resources: list, complete: bool) -> None:
    """The one engine (gitops.policy.engine) on what validate found, as `check` does: each id at the
    severity policies/policy.yaml gives it in the file's environment (generated/<env>/), switched
    off ids dropped, and the waivable ones waived by annotations (on the object or its workload)
    and by policies/waivers.yaml."""
    from dataclasses import replace as with_

    from ..policy.engine import Engine
    from .common import generated_origin

    placed = generated_origin(config)
    engine = Engine(policies, complete=complete)
    by_env: dict = {}
    for res in resources:
        origin = placed(res.origin)
        by_env.setdefault(origin.env, []).append(res if origin is res.origin else with_(res, origin=origin))
    for env, group in sorted(by_env.items(), key=lambda item: item[0] or ""):
        engine.see(group, env)
    production = {e.name: e.production for e in config.environments}
    findings = [f if placed(f.origin) is f.origin else with_(f, origin=placed(f.origin)) for f in report.findings]
    report.findings = engine.settle(findings, production) + engine.finish(STAGES)
