"""The Kubernetes JSON schemas shipped by the `kubernetes-validate` package, read offline.

Layout (the one kubeconform uses): `v1.33.0-local[-strict]/<kind>-<group>-<version>.json`, where
<group> is the first label of the API group (`rbac.authorization.k8s.io` -> `rbac`) and core kinds
have no group part. Each file `$ref`s `/api/_definitions.json`, which declares the `$id`
`https://kubernetes.io/api/_definitions.json`: we register it under that id, so nothing is fetched.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
from functools import lru_cache

from ..errors import InputError

_DIR_NAME = re.compile(r"^v(1\.\d+)\.0-local$")
DEFINITIONS_ID = "https://kubernetes.io/api/_definitions.json"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
# The grammar of resource.Quantity (500m, 1.5Gi, 2e3); the bundled schema only says "string".
QUANTITY_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$"


def schema_root() -> str:
    # Located, not imported: importing kubernetes_validate pulls in python-jsonschema (~150 ms).
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.origin:
        raise InputError("the kubernetes-validate package (which carries the Kubernetes schemas) is not installed")
    return os.path.join(os.path.dirname(spec.origin), "kubernetes-json-schema")


@lru_cache(maxsize=1)
def supported_versions() -> tuple[str, ...]:
    root = schema_root()
    found = [m.group(1) for name in os.listdir(root) if (m := _DIR_NAME.match(name))]
    return tuple(sorted(found, key=lambda v: int(v.split(".")[1])))


def check_version(version: str) -> str:
    version = version[1:] if version.startswith("v") else version
    version = ".".join(version.split(".")[:2])
    if version not in supported_versions():
        raise InputError(f"unknown Kubernetes version {version!r}; supported: {', '.join(supported_versions())}")
    return version


def version_dir(version: str, strict: bool) -> str:
    return os.path.join(schema_root(), f"v{version}.0-local" + ("-strict" if strict else ""))


def file_name(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    group_part = f"-{group.split('.')[0].lower()}" if group else ""
    return f"{kind.lower()}{group_part}-{version.lower()}.json"


def load_definitions(version: str, strict: bool) -> dict:
    """The shared definitions, with a pattern added to Quantity so '1 core' is caught."""
    with open(os.path.join(version_dir(version, strict), "_definitions.json"), encoding="utf-8") as fh:
        definitions = json.load(fh)
    quantity = definitions.get("$defs", {}).get(QUANTITY)
    if isinstance(quantity, dict) and isinstance(quantity.get("oneOf"), list):
        for branch in quantity["oneOf"]:
            types = branch.get("type")
            if types == "string" or (isinstance(types, list) and "string" in types):
                branch["pattern"] = QUANTITY_PATTERN
    return definitions


def matches_kind(schema: dict, api_version: str, kind: str) -> bool:
    """True unless the schema declares group-version-kinds and none is this one (apps.example.com/v1
    Deployment must not be checked against the apps/v1 Deployment schema)."""
    gvks = schema.get("x-kubernetes-group-version-kind")
    if not isinstance(gvks, list) or not gvks:
        return True
    group, _, version = api_version.rpartition("/")
    return any(g.get("group", "") == group and g.get("version") == version and g.get("kind") == kind
               for g in gvks if isinstance(g, dict))
