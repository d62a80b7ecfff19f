"""`gitops rules` lists the policy rules; `gitops explain RULE` prints one rule's documentation."""
from __future__ import annotations

import difflib

import click

from ..errors import InputError


def all_rules() -> dict:
    # Imported on use: loading every rule module is start-up time for every command.
    from ..policy.registry import all_rules as load

    return load()


def api_server_checks() -> dict[str, dict]:
    from ..apiserver import catalog

    return {check["id"]: check for check in catalog()}


@click.command()
def rules() -> None:
    """List the rules: the policy rules, then the API-server checks `gitops validate` runs."""
    table = all_rules()
    checks = api_server_checks()
    width = max(len(r) for r in [*table, *checks])
    for rule in sorted(table.values(), key=lambda r: (r.family, r.id)):
        click.echo(f"{rule.id:<{width}}  {rule.family:<12} {rule.severity:<8} {rule.description}")
    for check in checks.values():
        click.echo(f"{check['id']:<{width}}  {'api-server':<12} {check['severity']:<8} {check['description']}")


@click.command()
@click.argument("rule_id", metavar="RULE")
def explain(rule_id: str) -> None:
    """Print a rule's documentation: what it checks, why, options, a failing and a passing example."""
    table = all_rules()
    rule = table.get(rule_id)
    checks = api_server_checks()
    if rule is None and rule_id in checks:
        check = checks[rule_id]
        click.echo(f"{rule_id} (API-server check run by `gitops validate`, severity {check['severity']})\n")
        click.echo(f"{check['description']}.\n")
        click.echo(f"Kinds: {', '.join(check['kinds'])}")
        click.echo(f"Fields: {', '.join(check['paths'])}")
        click.echo(f"The API server says: {check['api_server']}")
        click.echo(f"Kubernetes versions: {check['versions']}")
        click.echo(f"Documentation: {check['doc']}")
        return
    if rule is None:
        close = difflib.get_close_matches(rule_id, [*table, *checks], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `gitops rules` lists them"
        raise InputError(f"unknown rule {rule_id!r}{hint}")
    click.echo(f"{rule.id} ({rule.family}, default severity {rule.severity})\n")
    click.echo(rule.doc)
    if rule.options:
        click.echo("\nOptions (defaults):")
        for name, default in sorted(rule.options.items()):
            click.echo(f"  {name}: {default!r}")
