"""`gitops init [DIR]`: start a new repository of specs (the templates are in gitops/scaffold/)."""
from __future__ import annotations

import os

import click

from .. import scaffold


@click.command()
@click.argument("folder", metavar="[DIR]", default=".", required=False)
@click.option("--requirement", default=None, metavar="SPEC",
              help="What the workflows `pip install` to get gitops (default: gitops==<this version>); "
                   "e.g. a URL of the wheel your platform team publishes.")
def init(folder: str, requirement: str | None) -> int:
    """Create gitops.yaml, apps/ with an example, policies/, the GitHub workflows, the pre-commit
    hook and a README section in DIR (default: the current folder). Never overwrites a file."""
    written = scaffold.init(folder, requirement or scaffold.default_requirement())
    for path in written:
        click.echo(f"wrote {os.path.normpath(os.path.join(folder, path))}")
    step = "" if os.path.normpath(folder) == "." else f"cd {folder} && "
    click.echo(f"next: {step}gitops synth && gitops check   (then commit, generated/ included)")
    return 0
