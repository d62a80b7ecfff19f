"""The policy delta of a pull request: which findings it introduces, which it fixes, which it keeps.

A pure function over two lists of Finding, whatever check produced them. Findings are matched by
rule, environment, resource and JSON path, never by line or message, so moving code around or
rewording a message does not turn an old finding into a new one. Given the objects, a list index
in a path becomes the item's name where the list holds named items (`containers[0]` ->
`containers[name=web]`), so adding an env var or a sidecar does not renumber the others' findings.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from ..findings import Finding, at_least


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


Objects = dict[tuple[str, str], Any]  # (environment, resource ref) -> the object
_SEGMENT = re.compile(r'\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|(\[[^\]]*\])')


def stable_path(path: str, obj: Any) -> str:
    """`path` with each list index replaced by `name=<item name>` where the list at that point
    holds uniquely named items; anything it cannot follow is kept as written."""
    out, pos, here = "", 0, obj
    while pos < len(path):
        match = _SEGMENT.match(path, pos)
        if not match:
            return out + path[pos:]
        key, index, other = match.groups()
        if index is not None:
            items = here if isinstance(here, list) else None
            i = int(index)
            item = items[i] if items is not None and i < len(items) else None
            names = [x.get("name") for x in items if isinstance(x, dict)] if items else []
            if isinstance(item, dict) and isinstance(item.get("name"), str) and names.count(item["name"]) == 1 \
                    and len(names) == len(items or []):
                out += f"[name={item['name']}]"
            else:
                out += match.group(0)
            here = item
        else:
            out += match.group(0)
            here = here.get(key) if key is not None and isinstance(here, dict) else None
            if other is not None:
                here = None  # quoted keys are rare in paths that go on into lists
        pos = match.end()
    return out


def finding_key(f: Finding, renamed: dict[str, str] | None = None, objects: Objects | None = None) -> tuple:
    resource = (renamed or {}).get(f.resource, f.resource)
    obj = (objects or {}).get((f.origin.env or "", f.resource))
    return (f.rule, f.origin.env or "", resource, stable_path(f.path, obj) if obj is not None else f.path)


def delta(base: Iterable[Finding], head: Iterable[Finding], renamed: dict[str, str] | None = None,
          base_objects: Objects | None = None, head_objects: Objects | None = None) -> Delta:
    """Split findings into new, fixed and existing. `renamed` maps a head resource ref to its base
    ref, so a finding that follows a renamed resource stays "existing". The objects of each side,
    when given, make list indices in paths stable (see stable_path).

    Equal keys are counted: two identical findings on head and one on base make one new.
    """
    waiting: dict[tuple, list[Finding]] = defaultdict(list)
    for f in sorted(base, key=Finding.sort_key):
        waiting[finding_key(f, objects=base_objects)].append(f)
    new, existing = [], []
    for f in sorted(head, key=Finding.sort_key):
        matches = waiting.get(finding_key(f, renamed, head_objects))
        if matches:
            matches.pop(0)
            existing.append(f)
        else:
            new.append(f)
    fixed = sorted((f for group in waiting.values() for f in group), key=Finding.sort_key)
    return Delta(tuple(new), tuple(fixed), tuple(existing))
