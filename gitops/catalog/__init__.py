"""The one catalog of finding ids: every id the tool can emit has exactly one entry here.

    from gitops.catalog import catalog
    catalog()["image-tag"]          # Entry: title, description, remediation, severity, url, waivable, examples
    from gitops.catalog.builtin import stamp
    stamp(Found(res, "..."), "manifest-syntax")   # a Finding at the entry's default severity

Three sources fill it, each through `Catalog.add`, which refuses an id twice:
- `builtin.ENTRIES`: what the manifest reader, the schema check and the waiver checks report;
- the API-server table (`gitops/apiserver/table.py`), one entry per id over its rows;
- the policy rules (`gitops/policy/rules/<family>/<rule>.py`), one module each.
`gitops rules`, `gitops explain`, docs/rules.md and the SARIF `rules` array are all rendered from it.
The checks never import this package's `catalog()` (it loads every rule): stages stamp their ids
with `builtin.stamp` or with the severity their own configuration gives.
"""
from __future__ import annotations

import functools
from typing import Iterator

from .builtin import BY_ID
from .entry import DOCS, STAGES, Entry

__all__ = ["Catalog", "DOCS", "Entry", "STAGES", "catalog"]


class Catalog:
    """Entries by id, in the order added; asking for an unknown id is a KeyError naming it."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def add(self, entry: Entry) -> None:
        if entry.id in self._entries:
            raise ValueError(f"finding id {entry.id!r} is in the catalog twice "
                             f"({self._entries[entry.id].stage} and {entry.stage})")
        if entry.stage not in STAGES:
            raise ValueError(f"{entry.id}: unknown stage {entry.stage!r}")
        self._entries[entry.id] = entry

    def __getitem__(self, rule_id: str) -> Entry:
        try:
            return self._entries[rule_id]
        except KeyError:
            raise KeyError(f"no finding id {rule_id!r} in the catalog") from None

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(sorted(self._entries.values(), key=lambda e: (STAGES.index(e.stage), e.family, e.id)))

    def __len__(self) -> int:
        return len(self._entries)

    def ids(self) -> list[str]:
        return sorted(self._entries)


def _policy_entries() -> Iterator[Entry]:
    from ..policy.registry import all_rules

    for rule in all_rules().values():
        yield Entry(rule.id, rule.title, rule.doc, rule.remediation, rule.severity, f"{DOCS}/rules.md#{rule.id}",
                    rule.waivable, "policy", rule.family, tuple(rule.examples().items()), dict(rule.options))


def _api_server_entries() -> Iterator[Entry]:
    from ..apiserver import catalog as table
    from ..apiserver import examples

    shown = examples()
    for row in table():
        description = (f"{row['description']}.\n\nKinds: {', '.join(row['kinds'])}. "
                       f"Fields: {', '.join(row['paths']) or '-'}. Kubernetes versions: {row['versions']}.\n\n"
                       f"The API server says: {row['api_server']}")
        yield Entry(row["id"], row["description"], description,
                    "change the field so that the API server accepts it (see the message and the documentation)",
                    row["severity"], row["doc"], False, "api-server", "api-server", _api_examples(shown.get(row["id"])))


def _api_examples(example: dict[str, str] | None) -> tuple[tuple[str, str], ...]:
    from ..apiserver import DEFAULT_EXAMPLE_VERSION

    if example is None:
        return ()
    note = "" if example["version"] == DEFAULT_EXAMPLE_VERSION else f"# Kubernetes {example['version']}\n"
    return (("Fails", note + example["fails"]), ("Passes", note + example["passes"]))


@functools.cache
def catalog() -> Catalog:
    """Every finding id the tool can emit."""
    entries = Catalog()
    for entry in [*BY_ID.values(), *_api_server_entries(), *_policy_entries()]:
        entries.add(entry)
    return entries
