"""CustomResourceDefinitions to JSON schemas: `gitops schemas import` and the load-time transform.

Import writes, per served version, `<schemas>/<group>/<kind>_<version>.json` (the CRDs-catalog
layout kubeconform users know) holding the `openAPIV3Schema` translated to JSON Schema:
`nullable` adds "null" to the type, `x-kubernetes-int-or-string` accepts an integer or a string.
The Kubernetes extensions stay in the file (JSON Schema ignores them) because the checker needs
them at load time: strictness (unknown fields are errors, except below
`x-kubernetes-preserve-unknown-fields` or where `additionalProperties` is given) and the CEL rules
of `x-kubernetes-validations`.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..manifests.reader import iter_manifest_files, read_file

_COMBINATORS = ("allOf", "anyOf", "oneOf", "not")


@dataclass(frozen=True)
class Imported:
    group: str
    kind: str
    version: str
    path: str


_SAFE_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")


def valid_name(value: object) -> bool:
    """A group, kind or version that can name a file of the imported-schema layout."""
    return isinstance(value, str) and bool(_SAFE_NAME.match(value)) and ".." not in value


def schema_path(root: str, group: str, kind: str, version: str) -> str:
    """Where an imported schema lives; names that are not DNS-like (`..`, `/`) are refused."""
    for what, value in (("group", group), ("kind", kind), ("version", version)):
        if not valid_name(value):
            raise InputError(f"CRD {what} {value!r} is not a valid name (letters, digits, '.' and '-')")
    return os.path.join(root, group.lower(), f"{kind.lower()}_{version.lower()}.json")


def translate(node: Any) -> Any:
    """OpenAPI v3 (as Kubernetes writes it in CRDs) to JSON Schema, recursively."""
    if isinstance(node, list):
        return [translate(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: translate(v) if k not in ("enum", "default", "example", "x-kubernetes-validations") else v
           for k, v in node.items()}
    if node.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    if node.get("nullable"):
        types = out.get("type")
        if isinstance(types, str):
            out["type"] = [types, "null"]
        elif isinstance(types, list) and "null" not in types:
            out["type"] = types + ["null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = out["enum"] + [None]
    if "properties" in out and "type" not in out and not node.get("x-kubernetes-int-or-string"):
        out["type"] = "object"
    return out


def strictify(node: Any) -> Any:
    """A copy where objects reject fields their schema does not name (what kubectl's strict field
    validation does), except where unknown fields are explicitly allowed."""
    if isinstance(node, list):
        return [strictify(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _COMBINATORS or key in ("enum", "default", "x-kubernetes-validations"):
            out[key] = value  # branches only restate fields declared next to them
        elif key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = {k: strictify(v) for k, v in value.items()} if isinstance(value, dict) else value
        else:
            out[key] = strictify(value)
    if "properties" in node and "additionalProperties" not in node \
            and not node.get("x-kubernetes-preserve-unknown-fields") and "patternProperties" not in node:
        out["additionalProperties"] = False
    return out


def crd_schemas(crd: dict) -> list[tuple[str, str, str, dict]]:
    """(group, kind, version, JSON schema) for every served version of a CRD."""
    spec = found if isinstance(found := crd.get("spec"), dict) else {}
    group = spec.get("group")
    kind = (spec.get("names") or {}).get("kind") if isinstance(spec.get("names"), dict) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return []
    shared = (spec.get("validation") or {}).get("openAPIV3Schema")  # v1beta1 CRDs
    out = []
    for version in spec.get("versions") or []:
        if not isinstance(version, dict) or version.get("served") is False or not version.get("name"):
            continue
        openapi = ((version.get("schema") or {}).get("openAPIV3Schema")) or shared or {"type": "object",
                                                                                        "x-kubernetes-preserve-unknown-fields": True}
        schema = translate(openapi)
        props = schema.setdefault("properties", {})
        props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
        props["kind"] = {"type": "string", "enum": [kind]}
        props.setdefault("metadata", {"type": "object"})
        schema["type"] = "object"
        schema["required"] = sorted(set(schema.get("required", [])) | {"apiVersion", "kind"})
        schema["x-kubernetes-group-version-kind"] = [{"group": group, "kind": kind, "version": version["name"]}]
        schema["description"] = schema.get("description") or f"{kind} ({group}/{version['name']}), imported from its CRD"
        out.append((group, kind, version["name"], schema))
    return out


def import_crds(sources: list[str], target: str) -> list[Imported]:
    """Write the JSON schemas of every CRD found under `sources` into `target`; returns what was written."""
    written: list[Imported] = []
    problems = []
    for path in iter_manifest_files(sources):
        resources, findings = read_file(path)
        problems += [f for f in findings if f.severity == "error"]
        for res in resources:
            if res.kind != "CustomResourceDefinition" or not res.api_version.startswith("apiextensions.k8s.io/"):
                continue
            for group, kind, version, schema in crd_schemas(res.obj):
                out = schema_path(target, group, kind, version)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
                tmp = out + ".tmp"
                with open(tmp, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, out)
                written.append(Imported(group, kind, version, out))
    if problems:
        first = problems[0]
        raise InputError(f"cannot read CRD file: {first.message}", file=first.origin.file, line=first.line)
    return written
