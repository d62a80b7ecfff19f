"""`gitops rules` lists the policy rules; `gitops explain RULE` prints one rule's documentation."""
from __future__ import annotations

import difflib

import click

from ..errors import InputError


def all_rules() -> dict:
    # Imported on use: loading every rule module is start-up time for every command.
    from ..policy.registry import all_rules as load

    return load()


@click.command()
def rules() -> None:
    """List the policy rules: id, family, default severity, what each checks."""
    table = all_rules()
    width = max(len(r) for r in table)
    for rule in sorted(table.values(), key=lambda r: (r.family, r.id)):
        click.echo(f"{rule.id:<{width}}  {rule.family:<12} {rule.severity:<8} {rule.description}")


@click.command()
@click.argument("rule_id", metavar="RULE")
def explain(rule_id: str) -> None:
    """Print a rule's documentation: what it checks, why, options, a failing and a passing example."""
    table = all_rules()
    rule = table.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(table), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `gitops rules` lists them"
        raise InputError(f"unknown rule {rule_id!r}{hint}")
    click.echo(f"{rule.id} ({rule.family}, default severity {rule.severity})\n")
    click.echo(rule.doc)
    if rule.options:
        click.echo("\nOptions (defaults):")
        for name, default in sorted(rule.options.items()):
            click.echo(f"  {name}: {default!r}")
