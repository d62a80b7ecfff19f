"""Catch rate on the held-out corpus: API-server checks against schema-only validation.

Schema-only means the `kubernetes-validate` package's strict 1.33 schemas through `jsonschema`, the
same check an offline validator makes. The figures are written in docs/apiserver-checks.md; this
test recomputes them and fails when the docs say something else or the target is missed.
"""
from __future__ import annotations

import functools
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from gitops.apiserver import check

from .apiserver_corpus import DATA, bases, mutate, mutation_id

REPO = Path(__file__).resolve().parent.parent
HELD_OUT = DATA / "heldout"
VERSION = "1.33"


def _schema_rejects(obj: dict) -> bool:
    try:
        kubernetes_validate.validate(obj, VERSION, strict=True)
    except kubernetes_validate.ValidationError:
        return True
    return False


@pytest.fixture(scope="module", autouse=True)
def _schema_files_read_once():
    """kubernetes-validate reads and parses its multi-megabyte `_definitions.json` again on every
    call; reading each file once leaves its validation exactly as it is, at a fraction of the cost."""
    from kubernetes_validate import utils

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(utils, "schema_contents", functools.cache(utils.schema_contents))
        yield


@pytest.fixture(scope="module")
def measured():
    base = bases(HELD_OUT / "bases.yaml")
    mutations = yaml.safe_load((HELD_OUT / "mutations.yaml").read_text())
    rows = []
    for mutation in mutations:
        resource = mutate(base[mutation["base"]], mutation)
        rows.append((mutation, bool(check(resource, VERSION)), _schema_rejects(resource.obj)))
    return base, rows


def test_held_out_bases_are_valid_for_both_checks(measured):
    base, _ = measured
    for key, obj in base.items():
        assert not _schema_rejects(obj), key
        assert check(mutate(obj, {}), VERSION) == [], key


def test_no_false_alarm_on_changes_the_api_server_accepts(measured):
    _, rows = measured
    accepted = [(mutation_id(m), ours, schema) for m, ours, schema in rows if "accepted" in m]
    assert len(accepted) >= 25
    assert [a for a in accepted if a[1] or a[2]] == []


def figures(rows) -> str:
    rejected = [(ours, schema) for m, ours, schema in rows if "rejected" in m]
    total = len(rejected)
    schema = sum(1 for _, s in rejected if s)
    ours = sum(1 for o, _ in rejected if o)
    both = sum(1 for o, s in rejected if o or s)
    accepted = sum(1 for m, _, _ in rows if "accepted" in m)
    pct = lambda n: f"{100 * n / total:.1f}%"  # noqa: E731
    return (f"| schema only (kubernetes-validate strict, jsonschema) | {schema}/{total} | {pct(schema)} |\n"
            f"| API-server checks only | {ours}/{total} | {pct(ours)} |\n"
            f"| `gitops validate` (schema + API-server checks) | {both}/{total} | {pct(both)} |\n\n"
            f"False alarms on the {accepted} accepted changes: 0.")


def test_catch_rate_meets_the_target_and_the_docs_state_it(measured):
    _, rows = measured
    rejected = [(m, ours, schema) for m, ours, schema in rows if "rejected" in m]
    missed = [mutation_id(m) for m, ours, schema in rejected if not ours and not schema]
    assert len(rejected) - len(missed) >= 0.95 * len(rejected), missed
    semantic = [mutation_id(m) for m, ours, schema in rejected if not schema and not ours]
    assert semantic == []  # everything the schemas cannot see, the API-server checks catch
    doc = (REPO / "docs" / "apiserver-checks.md").read_text()
    assert figures(rows) in doc, f"update docs/apiserver-checks.md with:\n{figures(rows)}"
