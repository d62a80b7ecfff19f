"""Derive the compact bundled schemas of this folder from the official CRDs (never copied whole).

    python -m gitops.crdschemas.derive ../shared/crds

For each entry of `KEEP` the served version's openAPIV3Schema is pruned to the fields gitops
emits (a nested mapping: True keeps a field's whole subtree, a mapping keeps only the fields it
names; list items are walked through); the other fields at a pruned level stay known by name with
any content, descriptions and defaults are dropped, and every object that lists its properties
refuses others (`additionalProperties: false`), so a typo in a patched
or hand-edited object fails here instead of being dropped by the API server. `metadata` needs a
name. Run it again when a CRD changes; tests/test_crdschemas.py checks the files are current.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any

import yaml

# (CRD file under the crds folder, version) -> fields kept, and the schema file written here.
KEEP: dict[tuple[str, str], tuple[dict[str, Any], str]] = {
    ("external-secrets/external-secrets.io_externalsecrets.yaml", "v1"): ({
        "spec": {
            "refreshInterval": True,
            "secretStoreRef": True,
            "target": {"name": True, "creationPolicy": True, "deletionPolicy": True},
            "data": {"secretKey": True, "remoteRef": {"key": True, "property": True, "version": True}},
            "dataFrom": {"extract": {"key": True, "property": True, "version": True}},
        },
    }, "external-secrets.io_v1_externalsecret.json"),
}
HERE = os.path.dirname(os.path.abspath(__file__))
_DROPPED = ("description", "default", "x-kubernetes-validations")


def _clean(node: Any) -> Any:
    """A subtree without documentation and defaults, refusing unknown fields where it lists them."""
    if isinstance(node, list):
        return [_clean(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _clean(v) for k, v in node.items() if k not in _DROPPED and not k.startswith("x-kubernetes-")}
    if "properties" in node and "additionalProperties" not in node \
            and not node.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


def prune(schema: dict, keep: dict[str, Any], where: str = "") -> dict:
    """`schema` with only the properties `keep` names (through array items)."""
    if schema.get("type") == "array" and "items" in schema:
        return {**{k: v for k, v in _clean(schema).items() if k != "items"}, "items": prune(schema["items"], keep, where)}
    props = schema.get("properties") or {}
    out = {k: _clean(v) for k, v in schema.items() if k not in ("properties", "required") + _DROPPED}
    # Fields gitops never emits stay known by name (a typo is still refused) but unchecked inside.
    out["properties"] = {name: {} for name in props if name not in keep}
    for name, sub in keep.items():
        if name not in props:
            raise SystemExit(f"{where}.{name}: not in the CRD; update KEEP in {__file__}")
        out["properties"][name] = _clean(props[name]) if sub is True else prune(props[name], sub, f"{where}.{name}")
    required = [name for name in schema.get("required", []) if name in keep]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def derive(crd: dict, version: str, keep: dict[str, Any]) -> dict:
    spec = crd["spec"]
    served = next(v for v in spec["versions"] if v["name"] == version)
    root = served["schema"]["openAPIV3Schema"]
    group, kind = spec["group"], spec["names"]["kind"]
    body = prune(root, keep, kind)
    body["properties"] = {
        "apiVersion": {"type": "string", "enum": [f"{group}/{version}"]},
        "kind": {"type": "string", "enum": [kind]},
        "metadata": {"type": "object", "required": ["name"],
                     "properties": {"name": {"type": "string", "minLength": 1}}},
        **body["properties"],
    }
    body["required"] = ["apiVersion", "kind", "metadata"] + body.get("required", [])
    return {"$schema": "http://json-schema.org/draft-07/schema#", "x-derived-from": f"{spec['names']['plural']}."
            f"{group} {version} (gitops/crdschemas/derive.py)", **body}


def render(crds_dir: str) -> dict[str, str]:
    """{file name: JSON text} for every entry of KEEP."""
    out = {}
    for (rel, version), (keep, target) in sorted(KEEP.items()):
        with open(os.path.join(crds_dir, rel), encoding="utf-8") as fh:
            crd = yaml.safe_load(fh)
        out[target] = json.dumps(derive(crd, version, keep), indent=1, sort_keys=True) + "\n"
    return out


def main(argv: list[str]) -> int:
    crds_dir = argv[0] if argv else os.path.join(HERE, "..", "..", "..", "shared", "crds")
    for name, text in render(crds_dir).items():
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote gitops/crdschemas/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
