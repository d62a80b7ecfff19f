"""Semantic, resource-level comparison of two manifest sets.

Resources are matched by environment and (apiVersion, kind, namespace, name). What is left over on
both sides is paired as a rename when the content is the same apart from the name, or when both
come from the same spec file (or app) and are the only candidates of their kind there. Objects are
compared as data, never as text, so key order and YAML formatting never show up; lists of named
items (containers, env vars, ports, volumes, volume mounts) are matched by `name`, not by position.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from ..manifests.resource import Origin, Resource

ACTIONS = ("create", "update", "delete", "rename")
SYMBOLS = {"create": "+", "update": "~", "delete": "-", "rename": "→"}


class _Absent:
    """A field that does not exist on one side (distinct from an explicit null)."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class FieldChange:
    path: str  # e.g. spec.template.spec.containers[name=web].image
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    """One resource that is created, updated, deleted or renamed, with its changed fields."""

    action: str
    old: Resource | None
    new: Resource | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def resource(self) -> Resource:
        """The side that describes the resource after the change (the old one for a delete)."""
        return self.new if self.new is not None else self.old  # type: ignore[return-value]

    @property
    def origin(self) -> Origin:
        return self.resource.origin

    @property
    def env(self) -> str:
        return self.origin.env or ""

    @property
    def kind(self) -> str:
        return self.resource.kind

    @property
    def ref(self) -> str:
        if self.action == "rename" and self.old is not None and self.new is not None:
            return f"{self.old.ref()} → {self.new.ref()}"
        return self.resource.ref()

    def sort_key(self) -> tuple:
        r = self.resource
        return (self.env, self.origin.app or "", r.kind, r.namespace, r.name, ACTIONS.index(self.action))


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    unchanged: int = 0

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    def totals(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ACTIONS}

    def counts(self) -> dict[str, dict[str, dict[str, int]]]:
        """env -> kind -> action -> number of resources, every level sorted."""
        table: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(ACTIONS, 0)))
        for c in self.changes:
            table[c.env][c.kind][c.action] += 1
        return {env: {kind: dict(table[env][kind]) for kind in sorted(table[env])} for env in sorted(table)}

    def renamed(self) -> dict[str, str]:
        """New ref -> old ref for each rename (so findings can follow a renamed resource)."""
        return {c.new.ref(): c.old.ref() for c in self.of("rename") if c.new is not None and c.old is not None}

    @property
    def empty(self) -> bool:
        return not self.changes


def _key(res: Resource) -> tuple[str, str, str, str, str]:
    return (res.origin.env or "",) + res.key


def compare(old: Iterable[Resource], new: Iterable[Resource]) -> Plan:
    """The plan that turns manifest set `old` into `new`."""
    before = {_key(r): r for r in old}
    after = {_key(r): r for r in new}
    changes: list[Change] = []
    unchanged = 0
    for key in sorted(before.keys() & after.keys()):
        fields = tuple(field_changes(before[key].obj, after[key].obj))
        if fields:
            changes.append(Change("update", before[key], after[key], fields))
        else:
            unchanged += 1
    deleted = [before[k] for k in sorted(before.keys() - after.keys())]
    created = [after[k] for k in sorted(after.keys() - before.keys())]
    for old_res, new_res in _pair_renames(deleted, created):
        deleted.remove(old_res)
        created.remove(new_res)
        fields = tuple(f for f in field_changes(old_res.obj, new_res.obj) if f.path != "metadata.name")
        changes.append(Change("rename", old_res, new_res, fields))
    changes += [Change("delete", r, None) for r in deleted]
    changes += [Change("create", None, r) for r in created]
    return Plan(tuple(sorted(changes, key=Change.sort_key)), unchanged)


def _pair_renames(deleted: list[Resource], created: list[Resource]) -> list[tuple[Resource, Resource]]:
    pairs: list[tuple[Resource, Resource]] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    # 1. the same content once the old name is replaced by the new one (labels often carry the name),
    #    from the same spec file: a new app and a deleted one elsewhere must not look like a rename
    for i, o in enumerate(deleted):
        for j, n in enumerate(created):
            if j in taken_new or not _same_group(o, n) or o.origin.spec_file != n.origin.spec_file:
                continue
            if o.name and _replace_name(o.obj, o.name, n.name) == n.obj:
                pairs.append((o, n))
                taken_old.add(i)
                taken_new.add(j)
                break
    # 2. the only leftover of its kind from the same spec file, or else the same app
    for attribute in ("spec_file", "app"):
        groups: dict[tuple, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i, o in enumerate(deleted):
            if i not in taken_old and getattr(o.origin, attribute):
                groups[(o.origin.env, o.api_version, o.kind, getattr(o.origin, attribute))][0].append(i)
        for j, n in enumerate(created):
            if j not in taken_new and getattr(n.origin, attribute):
                groups[(n.origin.env, n.api_version, n.kind, getattr(n.origin, attribute))][1].append(j)
        for key in sorted(groups, key=repr):
            olds, news = groups[key]
            if len(olds) == 1 and len(news) == 1:
                pairs.append((deleted[olds[0]], created[news[0]]))
                taken_old.add(olds[0])
                taken_new.add(news[0])
    return pairs


def _same_group(a: Resource, b: Resource) -> bool:
    return (a.origin.env, a.api_version, a.kind) == (b.origin.env, b.api_version, b.kind)


def _replace_name(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k: _replace_name(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_name(v, old, new) for v in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value


# --- field diffs -----------------------------------------------------------------------------------

def field_changes(old: Any, new: Any, path: str = "") -> Iterable[FieldChange]:
    """Changed leaves between two objects, by path, in a stable order."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys(), key=str):
            sub = _child(path, str(key))
            yield from field_changes(old.get(key, ABSENT), new.get(key, ABSENT), sub)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _list_changes(old, new, path)
    elif type(old) is not type(new) or old != new:
        yield FieldChange(path, old, new)


def _child(path: str, key: str) -> str:
    """`a.b`, or `a["app.kubernetes.io/name"]` for keys that would be ambiguous with dots."""
    if key and all(ch.isalnum() or ch in "_-" for ch in key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]'


def _names(items: list) -> list[str] | None:
    """The items' names when every item is a mapping with a distinct string `name`."""
    if not items or not all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in items):
        return None
    names = [i["name"] for i in items]
    return names if len(set(names)) == len(names) else None


def _list_changes(old: list, new: list, path: str) -> Iterable[FieldChange]:
    if old == new:
        return
    old_names, new_names = _names(old), _names(new)
    if (old_names is not None or not old) and (new_names is not None or not new) and (old or new):
        before = dict(zip(old_names or [], old))
        after = dict(zip(new_names or [], new))
        order = list(old_names or []) + [n for n in new_names or [] if n not in before]
        for name in order:
            yield from field_changes(before.get(name, ABSENT), after.get(name, ABSENT), f"{path}[name={name}]")
        return
    if all(isinstance(i, dict) for i in old + new):
        for i in range(max(len(old), len(new))):
            yield from field_changes(old[i] if i < len(old) else ABSENT, new[i] if i < len(new) else ABSENT,
                                     f"{path}[{i}]")
        return
    yield FieldChange(path, old, new)  # a list of plain values (args, hosts): shown whole
