"""One module per command; this table is the registry (explicit, in help order).

Commands are imported when used, not when the `gitops` command starts: each one loads what it
needs (validation schemas, policy rules, cdk8s) and no other command pays for it.
"""
from __future__ import annotations

import importlib

import click

# name -> module under gitops.commands that defines a click command of that name
COMMANDS: dict[str, str] = {
    "init": "init", "synth": "synth", "check": "check", "diff": "diff", "validate": "validate",
    "sync-plan": "syncplan", "policy": "policy", "merge": "merge",
    "schemas": "schemas", "rules": "rules", "explain": "rules",
}


def load(name: str) -> click.Command | None:
    module = COMMANDS.get(name)
    if module is None:
        return None
    return getattr(importlib.import_module(f"{__name__}.{module}"), name.replace("-", "_"))
