"""Where each resource's schema comes from, compiled once per run.

Lookup order for (apiVersion, kind): the project's imported CRD schemas (`paths.schemas`), the
extra `--schema-location`s in the order given, the schemas other parts of gitops ship for the
kinds they emit (`SCHEMA_PROVIDERS`, e.g. the Argo CD and Flux objects of gitops.delivery), then
the bundled Kubernetes schemas of the target version. Compiled validators are cached per
(apiVersion, kind) for the life of the store.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import jsonschema_rs

from ..errors import InputError
from . import builtin, crd, locations
from .cel import CelRules, collect_rules

def _delivery_schemas() -> dict[tuple[str, str], dict]:
    """The compact Argo CD and Flux schemas of gitops.delivery, when that part is installed."""
    try:
        if importlib.util.find_spec("gitops.delivery.schemas") is None:
            return {}
    except ModuleNotFoundError:
        return {}
    return importlib.import_module("gitops.delivery.schemas").compact_schemas()


def _platform_schemas() -> dict[tuple[str, str], dict]:
    """The compact schemas of gitops.crdschemas (KServe, Argo Rollouts, LeaderWorkerSet, KEDA, Kueue, JobSet,
    External Secrets)."""
    return importlib.import_module("gitops.crdschemas").compact_schemas()


# The literal table of bundled schema providers. Each returns {(apiVersion, kind): self-contained JSON
# schema}; read once per store, on first need.
SCHEMA_PROVIDERS: tuple[Callable[[], dict[tuple[str, str], dict]], ...] = (_delivery_schemas, _platform_schemas)


@dataclass
class Entry:
    validator: Any
    source: str  # human-readable: "Kubernetes 1.33" or a file path
    path: str  # the schema file
    cel: CelRules | None = None
    builtin: bool = False
    schema: dict | None = None  # as compiled (for field-name suggestions)


def _no_network(uri: str) -> Any:
    if uri.startswith("file://"):
        with open(uri[len("file://"):], encoding="utf-8") as fh:
            return json.load(fh)
    raise ValueError(f"refusing to fetch {uri}: schemas are read offline only")


@dataclass
class SchemaStore:
    kubernetes_version: str
    strict: bool = True
    schemas_dir: str | None = None
    locations: Sequence[str] = ()
    _cache: dict = field(default_factory=dict)
    _registry: Any = None
    _fields: dict | None = None  # definition name -> its property names, for "did you mean"
    _provided: dict | None = None  # (apiVersion, kind) -> schema from SCHEMA_PROVIDERS
    _trying: str = ""  # the schema file being loaded, named when it turns out to be broken

    def __post_init__(self) -> None:
        self.kubernetes_version = builtin.check_version(self.kubernetes_version)
        self.locations = [locations.check_location(loc) for loc in self.locations]

    def registry(self) -> Any:
        if self._registry is None:
            definitions = builtin.load_definitions(self.kubernetes_version, self.strict)
            self._registry = jsonschema_rs.Registry([(builtin.DEFINITIONS_ID, definitions)])
            # Only the field names are kept; the 4 MB of definitions live on in the registry alone.
            self._fields = {name: sorted(d.get("properties") or {}) for name, d in
                            definitions.get("$defs", {}).items() if isinstance(d, dict)}
        return self._registry

    def lookup(self, api_version: str, kind: str) -> Entry | None:
        key = (api_version, kind)
        if key not in self._cache:
            if not _SAFE_API.match(api_version) or not _SAFE_KIND.match(kind):
                self._cache[key] = None  # no schema can exist for it (and no path is built from it)
                return None
            self._trying = ""
            try:
                self._cache[key] = self._find(api_version, kind)
            except InputError:
                raise
            except Exception as exc:  # a schema file is user input: a broken one is an input error
                raise InputError(f"the schema for {api_version} {kind} cannot be used: {type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": "),
                                 file=os.path.relpath(self._trying) if self._trying else "") from None
        return self._cache[key]

    def _find(self, api_version: str, kind: str) -> Entry | None:
        group, _, version = api_version.rpartition("/")
        # CRDs always name a group: the core group ("v1") and any name import could not have
        # written are never looked up among imported schemas (looking would refuse the name).
        if self.schemas_dir and group and crd.valid_name(group):
            path = crd.schema_path(self.schemas_dir, group, kind, version)
            if os.path.isfile(path):
                self._trying = path
                return self._compile_imported(path)
        values = locations.variables(api_version, kind, self.kubernetes_version, self.strict)
        for location in self.locations:
            path = locations.expand(location, values)
            if os.path.isfile(path):
                self._trying = path
                schema = _load(path)
                if builtin.matches_kind(schema, api_version, kind):
                    return self._compile(schema, path, path, translate=False)
        if self._provided is None:
            self._provided = {}
            for provider in SCHEMA_PROVIDERS:
                self._provided.update(provider())
        if (api_version, kind) in self._provided:
            return self._compile(self._provided[(api_version, kind)], "", "gitops (bundled)", translate=False)
        path = os.path.join(builtin.version_dir(self.kubernetes_version, self.strict),
                            builtin.file_name(api_version, kind))
        if os.path.isfile(path):
            schema = _load(path)
            if builtin.matches_kind(schema, api_version, kind):
                entry = self._compile(schema, path, f"Kubernetes {self.kubernetes_version}", translate=False)
                entry.builtin = True
                return entry
        return None

    def _compile_imported(self, path: str) -> Entry:
        schema = _load(path)
        props = schema.get("properties")
        if isinstance(props, dict) and set(props.get("metadata") or {}) <= {"type", "description"}:
            # CRDs say only `metadata: {type: object}`; the API server checks it as ObjectMeta.
            props["metadata"] = {"$ref": f"{builtin.DEFINITIONS_ID}#/$defs/{builtin.OBJECT_META}"}
        return self._compile(crd.strictify(schema) if self.strict else schema, path, path, translate=True)

    def _compile(self, schema: dict, path: str, source: str, translate: bool) -> Entry:
        validator = jsonschema_rs.validator_for(schema, registry=self.registry() if "$ref" in json.dumps(schema)
                                                else None, retriever=_no_network,
                                                base_uri="file://" + os.path.abspath(path or "bundled.json"))
        rules = collect_rules(schema)
        return Entry(validator=validator, source=source, path=path, cel=rules, schema=schema)

    def known_fields(self, entry: Entry, schema_path: Sequence[Any]) -> list[str]:
        """Field names allowed where an unknown one was found (for "did you mean")."""
        parts = list(schema_path)
        if parts and parts[-1] == "additionalProperties":
            parts = parts[:-1]
        own: Any = entry.schema if entry.schema is not None else _load(entry.path)
        if parts and parts[0] == "$defs" and (entry.builtin or "$defs" not in own):
            self.registry()
            return list(self._fields.get(parts[1], [])) if len(parts) == 2 and self._fields else []
        node: Any = own
        for part in parts:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return []
        props = node.get("properties") if isinstance(node, dict) else None
        return sorted(props) if isinstance(props, dict) else []


_SAFE_API = re.compile(r"^([a-z0-9]([a-z0-9.-]*[a-z0-9])?/)?[a-z0-9]+$")
_SAFE_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
