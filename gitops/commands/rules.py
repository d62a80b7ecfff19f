"""`gitops rules` lists every finding id; `gitops explain ID` prints one id's documentation.

Both read the one catalog (gitops/catalog/), so every id the tool can print can be explained.
"""
from __future__ import annotations

import difflib

import click

from ..errors import InputError

_STAGE_LABEL = {"manifest": "manifest", "schema": "schema", "api-server": "api-server", "admission": "cluster",
                "sync": "sync", "waiver": "waiver"}


@click.command()
def rules() -> None:
    """List every finding id: policy rules, API-server checks, schema, manifest and waiver findings."""
    from ..catalog import catalog

    entries = list(catalog())
    width = max(len(e.id) for e in entries)
    for entry in entries:
        group = entry.family if entry.stage == "policy" else _STAGE_LABEL[entry.stage]
        click.echo(f"{entry.id:<{width}}  {group:<12} {entry.severity:<8} {entry.title}")


@click.command()
@click.argument("rule_id", metavar="ID")
def explain(rule_id: str) -> None:
    """Print what a finding id means: what it checks, why, how to fix it, examples, options."""
    from ..catalog import catalog

    entries = catalog()
    if rule_id not in entries:
        close = difflib.get_close_matches(rule_id, entries.ids(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `gitops rules` lists them"
        raise InputError(f"unknown rule {rule_id!r}{hint}")
    entry = entries[rule_id]
    where = {"policy": entry.family, "api-server": "API-server check run by `gitops validate`",
             "schema": "schema check run by `gitops validate`", "manifest": "manifest reader",
             "admission": "cluster check run by `gitops validate` and `gitops check` (docs/admission.md)",
             "sync": "sync simulation", "waiver": "waiver check"}[entry.stage]
    click.echo(f"{entry.id} ({where}, default severity {entry.severity})\n")
    click.echo(entry.description)
    if entry.stage != "policy":  # a policy rule's documentation holds its examples already
        for label, text in entry.examples:
            click.echo(f"\n{label}:\n\n{text.rstrip()}")
    click.echo(f"\nFix: {entry.remediation}")
    if not entry.waivable:
        click.echo("Waivers: not accepted (the API server or the reader refuses this whatever a waiver says).")
    if entry.options:
        click.echo("\nOptions (defaults):")
        for name, default in sorted(entry.options.items()):
            click.echo(f"  {name}: {default!r}")
    from ..catalog.entry import shown

    click.echo(f"\nDocumentation: {shown(entry.url)}")
