"""Writes the compact schemas of this folder from the official CRDs (never copied into the project).

    python -m gitops.crdschemas.build ../shared/crds      # or: make crd-schemas

For each (CRD file, version) in `crdschemas.SOURCES`: the version's openAPIV3Schema, translated to
JSON Schema and made strict exactly as `gitops schemas import` does (schema/crd.py: nullable,
int-or-string, unknown fields refused unless x-kubernetes-preserve-unknown-fields), then made
small without changing what it accepts:

- descriptions are dropped (they are most of a CRD's bytes);
- a subtree that is a Kubernetes type (a JobSet's Job template, a ScaledJob's Job spec: the
  source's `embedded` paths) becomes a `$ref` to the bundled Kubernetes definitions of the target
  version, which is how the controllers' webhooks and the API server judge it anyway (the JobSet
  CRD is 820 kB, almost all of it a pod template);
- a subtree that occurs more than once (the same container, probe or env schema repeated under every
  model framework of an InferenceService) is written once under `definitions` and referenced by a
  local `$ref`; subtrees holding CEL rules stay inline, because the CEL checker walks properties
  and does not follow references;
- `metadata` refers to the Kubernetes ObjectMeta of the target version, as the API server checks it.

tests/test_crd_schemas.py rebuilds every file from ../shared/crds and fails when one differs, so
the files stay what this script makes of the official CRDs.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from typing import Any

import yaml

from ..schema import builtin, crd
from . import HERE, SOURCES, Source

MIN_SHARED = 400  # bytes of canonical JSON below which a repeated subtree stays inline
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def _strip(node: Any) -> Any:
    """Descriptions dropped; only schema keywords are touched (a property named `description` stays)."""
    if isinstance(node, list):
        return [_strip(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "description" and isinstance(value, str):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: _strip(v) for k, v in value.items()}
        elif key in ("enum", "default", "example", "x-kubernetes-validations"):
            out[key] = value
        else:
            out[key] = _strip(value)
    return out


def _children(node: dict) -> list[tuple[str, dict]]:
    """(name hint, sub-schema) of each schema nested directly in `node`."""
    out: list[tuple[str, dict]] = []
    for key in _SCHEMA_MAPS:
        for name, sub in (node.get(key) or {}).items():
            if isinstance(sub, dict):
                out.append((name, sub))
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            out.append((key, node[key]))
    for key in _SCHEMA_LISTS:
        out += [(key, sub) for sub in node.get(key) or [] if isinstance(sub, dict)]
    return out


class _Sharer:
    """Moves repeated subtrees into `definitions`, named after where they first occur."""

    def __init__(self, root: dict):
        self.text: dict[int, str] = {}
        self.counts: Counter[str] = Counter()
        self.names: dict[str, str] = {}
        self.definitions: dict[str, Any] = {}
        self._measure(root)

    def _measure(self, node: dict) -> str:
        for _, sub in _children(node):
            self._measure(sub)
        text = json.dumps(node, sort_keys=True, separators=(",", ":"))
        self.text[id(node)] = text
        if len(text) >= MIN_SHARED and "x-kubernetes-validations" not in text:
            self.counts[text] += 1
        return text

    def rewrite(self, node: dict, hint: str) -> dict:
        text = self.text[id(node)]
        if self.counts.get(text, 0) > 1:
            if text not in self.names:
                name = hint if hint not in self.definitions else next(
                    f"{hint}{i}" for i in range(2, 10000) if f"{hint}{i}" not in self.definitions)
                self.names[text] = name
                self.definitions[name] = None  # reserved before recursing (names stay in first-seen order)
                self.definitions[name] = self._rewrite_inside(node, hint)
            return {"$ref": f"#/definitions/{self.names[text]}"}
        return self._rewrite_inside(node, hint)

    def _rewrite_inside(self, node: dict, hint: str) -> dict:
        out = dict(node)
        for key in _SCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                out[key] = {k: self.rewrite(v, k) if isinstance(v, dict) else v for k, v in node[key].items()}
        for key, suffix in (("items", "Item"), ("additionalProperties", "Value"), ("not", "Not")):
            if isinstance(node.get(key), dict):
                out[key] = self.rewrite(node[key], hint + suffix)
        for key in _SCHEMA_LISTS:
            if isinstance(node.get(key), list):
                out[key] = [self.rewrite(v, f"{hint}{key.title()}") if isinstance(v, dict) else v for v in node[key]]
        return out


def _embed(schema: dict, path: str, definition: str) -> None:
    """Replace the subtree at `path` (dotted, "[]" for array items) by a $ref to a Kubernetes definition."""
    ref = {"$ref": f"{builtin.DEFINITIONS_ID}#/$defs/{definition}"}
    node: Any = schema
    steps = path.split(".")
    for i, step in enumerate(steps):
        key, into_items = (step[:-2], True) if step.endswith("[]") else (step, False)
        props = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(props, dict) or key not in props:
            raise SystemExit(f"no field {'.'.join(steps[:i + 1])!r} in the CRD (crdschemas.SOURCES embedded)")
        last = i == len(steps) - 1
        if last and into_items:
            props[key] = {"type": props[key].get("type", "array"), "items": ref}
        elif last:
            nullable = isinstance(props[key].get("type"), list) and "null" in props[key]["type"]
            props[key] = {"anyOf": [{"type": "null"}, ref]} if nullable else ref
        else:
            node = props[key]["items"] if into_items else props[key]


def compact(crd_doc: dict, version: str, embedded: tuple[tuple[str, str], ...] = ()) -> dict:
    """The compact, strict JSON schema of one version of a CRD."""
    found = [schema for _, _, v, schema in crd.crd_schemas(crd_doc) if v == version]
    if not found:
        raise SystemExit(f"the CRD {crd_doc.get('metadata', {}).get('name')} serves no version {version}")
    for path, definition in embedded:
        _embed(found[0], path, definition)
    schema = _strip(crd.strictify(found[0]))
    schema["properties"]["metadata"] = {"$ref": f"{builtin.DEFINITIONS_ID}#/$defs/{builtin.OBJECT_META}"}
    sharer = _Sharer(schema)
    body = sharer._rewrite_inside(schema, "")
    gvk = schema["x-kubernetes-group-version-kind"][0]
    head = {"$schema": "http://json-schema.org/draft-07/schema#",
            "title": f"{gvk['kind']} ({gvk['group']}/{version}), compacted from the official CRD by gitops.crdschemas.build"}
    out = {**head, **body}
    if sharer.definitions:
        out["definitions"] = sharer.definitions
    return out


def render(source: Source, crds_root: str) -> str:
    with open(os.path.join(crds_root, source.crd_file), encoding="utf-8") as fh:
        crd_doc = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return json.dumps(compact(crd_doc, source.version, source.embedded), indent=1, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        print("usage: python -m gitops.crdschemas.build CRDS_FOLDER  (the official CRDs, e.g. ../shared/crds)",
              file=sys.stderr)
        return 2
    for source in SOURCES:
        text = render(source, argv[0])
        with open(os.path.join(HERE, source.file_name), "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote gitops/crdschemas/{source.file_name} ({len(text) // 1024} KiB) from {source.crd_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
