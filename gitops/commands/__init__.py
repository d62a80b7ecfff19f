"""One module per command; `COMMANDS` is the registry (explicit, in help order).

Commands are imported when used, not when the `gitops` command starts: each one loads what it
needs (validation schemas, policy rules, cdk8s) and no other command pays for it. The imports are
written out, one small function per command rather than module names in strings, so a reader and
the import graph (tests/test_imports.py) see which module each command comes from.
"""
from __future__ import annotations

from typing import Callable

import click


def _init() -> click.Command:
    from .init import init
    return init


def _synth() -> click.Command:
    from .synth import synth
    return synth


def _check() -> click.Command:
    from .check import check
    return check


def _diff() -> click.Command:
    from .diff import diff
    return diff


def _validate() -> click.Command:
    from .validate import validate
    return validate


def _sync_plan() -> click.Command:
    from .syncplan import sync_plan
    return sync_plan


def _policy() -> click.Command:
    from .policy import policy
    return policy


def _merge() -> click.Command:
    from .merge import merge
    return merge


def _schemas() -> click.Command:
    from .schemas import schemas
    return schemas


def _rules() -> click.Command:
    from .rules import rules
    return rules


def _explain() -> click.Command:
    from .rules import explain
    return explain


# command name -> the function that imports it
COMMANDS: dict[str, Callable[[], click.Command]] = {
    "init": _init, "synth": _synth, "check": _check, "diff": _diff, "validate": _validate, "sync-plan": _sync_plan,
    "policy": _policy, "merge": _merge, "schemas": _schemas, "rules": _rules, "explain": _explain,
}


def load(name: str) -> click.Command | None:
    loader = COMMANDS.get(name)
    return loader() if loader is not None else None
