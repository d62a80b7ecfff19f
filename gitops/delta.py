"""The policy delta of a pull request: which findings it introduces, which it fixes, which it keeps.

A pure function over two lists of Finding, whatever check produced them. Findings are matched by
rule, environment, resource and JSON path, never by line or message, so moving code around or
rewording a message does not turn an old finding into a new one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .findings import Finding, at_least


@dataclass(frozen=True)
class Delta:
    new: tuple[Finding, ...]  # on head, not on base
    fixed: tuple[Finding, ...]  # on base, not on head
    existing: tuple[Finding, ...]  # on both (the head's copy)

    def failing_new(self, fail_on: str = "error") -> list[Finding]:
        """New findings that fail the gate under --fail-on-new: unwaived and at least `fail_on`."""
        if fail_on == "never":
            return []
        return [f for f in self.new if not f.waived and at_least(f.severity, fail_on)]


def finding_key(f: Finding, renamed: dict[str, str] | None = None) -> tuple[str, str, str, str]:
    resource = (renamed or {}).get(f.resource, f.resource)
    return (f.rule, f.origin.env or "", resource, f.path)


def delta(base: Iterable[Finding], head: Iterable[Finding], renamed: dict[str, str] | None = None) -> Delta:
    """Split findings into new, fixed and existing. `renamed` maps a head resource ref to its base
    ref, so a finding that follows a renamed resource stays "existing".

    Equal keys are counted: two identical findings on head and one on base make one new.
    """
    waiting: dict[tuple, list[Finding]] = defaultdict(list)
    for f in sorted(base, key=Finding.sort_key):
        waiting[finding_key(f)].append(f)
    new, existing = [], []
    for f in sorted(head, key=Finding.sort_key):
        matches = waiting.get(finding_key(f, renamed))
        if matches:
            matches.pop(0)
            existing.append(f)
        else:
            new.append(f)
    fixed = sorted((f for group in waiting.values() for f in group), key=Finding.sort_key)
    return Delta(tuple(new), tuple(fixed), tuple(existing))
