"""The YAML emitter: every scalar reads back as the same value, in YAML 1.1 and 1.2 readers."""
from __future__ import annotations

import yaml

from gitops.yamlio import dump, ordered

TRICKY = ["yes", "No", "on", "~", "null", "1.0", "1e3", "0o17", "0x1F", "2024-01-01", "1:30", "", " lead",
          "trail ", "a: b", "a #b", "#c", "-", "- x", "--flag", "-m", "*star", "&anchor", "!tag", "@at", "%d",
          "it's", "multi\nline", "tab\there", "back\\slash", "ünï", "=", "<<", "25%", ".5", ".inf", "8.3.0", "250m"]


def test_tricky_strings_round_trip_and_stay_strings():
    doc = {f"k{i}": value for i, value in enumerate(TRICKY)}
    doc.update({"int": 3, "neg": -1, "float": 2.5, "bool": True, "none": None, "empty_list": [], "empty_map": {},
                "nested": [[1, {"a": [2]}], {"b": {"c": ["x"]}}]})
    text = dump(doc)
    assert yaml.safe_load(text) == doc
    # YAML 1.2 readers (Go's yaml, used by kubectl) parse 1e3 and 0o17 as numbers unless quoted.
    assert "'1e3'" in text and "'0o17'" in text
    assert "\nk19: --flag\n" in text, "plain where it is safe, for readable diffs"


def test_kubernetes_key_order():
    obj = {"spec": {"b": 1, "name": "x", "a": 2}, "metadata": {"labels": {}, "namespace": "n", "name": "m"},
           "kind": "Service", "apiVersion": "v1"}
    assert list(ordered(obj)) == ["apiVersion", "kind", "metadata", "spec"]
    assert list(ordered(obj)["metadata"]) == ["name", "namespace", "labels"]
    assert list(ordered(obj)["spec"]) == ["name", "a", "b"]


def test_random_strings_round_trip():
    import random

    rng = random.Random(7)
    alphabet = "ab01 :#-*&!|>'\"%@`[]{},?.\\=~^;<>/\t\nü"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert yaml.safe_load(dump({"k": text, text: [text]})) == {"k": text, text: [text]}, repr(text)
