"""`gitops policy [PATH...]`: run the policies alone on any folder of YAML (default: generated/)."""
from __future__ import annotations

import os

import click

from ..errors import InputError
from ..findings import Finding, Report
from ..manifests.resource import Origin, Resource
from ..policy import config as policy_config
from ..policy import text
from ..policy.engine import Engine
from ..yamlio import load_fast_all
from .common import load_config

FAIL_ON = click.Choice(["error", "warning", "info", "never"])


def read_yaml(paths: list[str]) -> tuple[list[Resource], list[Finding], int]:
    """Every object in the YAML files under `paths`; a file that does not parse is a finding."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, names in os.walk(path):
                dirs.sort()
                files += [os.path.join(folder, n) for n in sorted(names) if n.endswith((".yaml", ".yml"))]
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise InputError(f"no such file or folder: {path}")
    resources, findings = [], []
    for file in files:
        rel = os.path.relpath(file)
        try:
            with open(file, encoding="utf-8") as fh:
                content = fh.read()
            docs = load_fast_all(content)
        except Exception as exc:  # any parse failure of a manifest under check is a finding
            findings.append(Finding(rule="yaml-syntax", severity="error", message=f"cannot parse: {exc}",
                                    origin=Origin(file=rel)))
            continue
        starts = _doc_lines(content)
        for i, obj in enumerate(docs):
            if isinstance(obj, dict):
                line = starts[i] if i < len(starts) else 1
                resources.append(Resource(obj, Origin(file=rel, doc_index=i, line=line)))
    return resources, findings, len(files)


def _doc_lines(content: str) -> list[int]:
    """First line of each document: 1, then the line after each `---` separator."""
    starts = [1]
    for number, raw in enumerate(content.splitlines(), 1):
        if raw.startswith("---") and raw[3:].strip() in ("", "|", ">") and number > 1:
            starts.append(number + 1)
        elif raw.startswith("---") and number == 1:
            starts[0] = 2
    return starts


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--env", "env_name", default=None, metavar="NAME",
              help="Apply this environment's policy overrides (an environment of gitops.yaml).")
@click.option("--fail-on", type=FAIL_ON, default="error", show_default=True,
              help="Lowest severity that makes the command exit 1.")
@click.pass_context
def policy(ctx: click.Context, paths: tuple[str, ...], env_name: str | None, fail_on: str) -> None:
    """Run the policies on folders or files of Kubernetes YAML (default: generated/)."""
    config = load_config(ctx)
    policies = policy_config.load(config)
    production = config.environment(env_name).production if env_name else False
    targets = list(paths) or [os.path.relpath(config.path(config.generated_dir))]
    resources, findings, files = read_yaml(targets)
    engine = Engine(policies)
    findings += engine.run(resources, env=env_name, production=production)
    findings += engine.finish()
    report = Report(findings=findings, resources=len(resources), files=files)
    for f in report.sorted():
        click.echo(text.line(f))
    click.echo(text.summary(report.findings) + f" ({len(resources)} resources in {files} files)")
    ctx.exit(report.exit_code(fail_on))
