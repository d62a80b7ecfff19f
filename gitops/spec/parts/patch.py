"""Escape hatches: what a spec may add or change in the objects gitops generates when no option
covers it. They are plain data held by the spec (so they are cached, compared and pickled like
every other field) and applied by synthesis before validation, policies and the drift gate.

- `Patch`: one RFC 6902 JSON Patch operation on the generated objects of one kind (and name), as
  cdk8s `ApiObject.addJsonPatch` and Kustomize `patches` do.
- extra objects: whole Kubernetes objects, as plain dicts or typed cdk8s objects (anything with a
  `to_json()`), turned into plain data when the spec is built.
- `labels_for` / `annotations_for`: metadata for the pod template ("pod") or for every object of
  one kind ("ServiceAccount", "Service", "HorizontalPodAutoscaler", "PersistentVolumeClaim", ...).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from ..frozen import FrozenDict
from .base import _Invalid, _Part, _require, wrap_part_init
from ..values import check_dns_subdomain, check_label_key, check_label_value

OPS = ("add", "remove", "replace", "move", "copy", "test")
POD = "pod"  # the key of labels_for / annotations_for that means the pod template
_KIND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def frozen_json(value: Any, where: str, depth: int = 0) -> Any:
    """A JSON value made immutable (FrozenDict, tuple), or _Invalid naming what is not JSON."""
    if depth > 64:
        raise _Invalid(where, "nested more than 64 levels deep")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        _require(math.isfinite(value), where, f"got {value!r}; JSON has no NaN or infinity")
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            _require(isinstance(key, str), where, f"key {key!r} is not a string")
            out[key] = frozen_json(item, f"{where}.{key}", depth + 1)
        return FrozenDict(out)
    if isinstance(value, (list, tuple)):
        return tuple(frozen_json(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))
    raise _Invalid(where, f"got {type(value).__name__} {value!r}; expected JSON data (dict, list, str, number, "
                          "bool, None)")


def thawed(value: Any) -> Any:
    """Plain, mutable JSON data back from frozen_json."""
    if isinstance(value, Mapping):
        return {k: thawed(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thawed(v) for v in value]
    return value


def _check_pointer(path: Any, field_name: str) -> None:
    _require(isinstance(path, str) and (path == "" or path.startswith("/")), field_name,
             f"got {path!r}; expected a JSON pointer such as /spec/template/spec/hostNetwork")
    for token in path.split("/")[1:]:
        rest = token.replace("~0", "").replace("~1", "")
        _require("~" not in rest, field_name, f"got {path!r}: '~' must be written ~0 and '/' ~1 inside a token")


def split_target(target: Any) -> tuple[str, str | None]:
    """'Deployment/web' -> ('Deployment', 'web'); 'Deployment' -> ('Deployment', None)."""
    _require(isinstance(target, str) and bool(target), "target",
             f"got {target!r}; expected 'Kind/name' (or 'Kind' for every object of that kind), e.g. 'Deployment/web'")
    kind, _, name = target.partition("/")
    _require(bool(kind) and set(kind) <= _KIND_CHARS and kind[0].isupper(), "target",
             f"got {target!r}; the kind is a Kubernetes kind such as Deployment or Service")
    if name:
        problem = check_dns_subdomain(name)
        _require(problem is None, "target", f"got {target!r}: the name {problem}")
    return kind, name or None


@dataclass(frozen=True, kw_only=True)
class Patch(_Part):
    """One JSON Patch (RFC 6902) operation on generated objects. Build one with the class methods:

    - Patch.add("Deployment/web", "/spec/template/spec/hostIPC", True)
    - Patch.replace("Service/web", "/spec/type", "NodePort")
    - Patch.remove("Deployment/web", "/spec/strategy/rollingUpdate/maxSurge")
    - Patch.copy / Patch.move(target, from_path, path), Patch.test(target, path, value)

    `target` is "Kind/name", or "Kind" for every object of that kind the app makes. A target that
    matches nothing, or an operation that fails (a missing path), is a spec error at synth.
    Patches run after the kind's builder and the extra objects, before validation and policies.

    Attributes:
        target: `Kind/name`, or `Kind` for every object of that kind the app makes.
        op: the operation: `add`, `remove`, `replace`, `copy`, `move` or `test` (the class methods set it).
        path: the JSON Pointer the operation acts on (`/spec/type`).
        value: the value for `add`, `replace` and `test`.
        from_path: the source pointer of `copy` and `move`.
    """

    target: str
    op: str
    path: str
    value: Any = None
    from_path: str | None = None

    @classmethod
    def add(cls, target: str, path: str, value: Any) -> "Patch":
        return cls(target=target, op="add", path=path, value=value)

    @classmethod
    def replace(cls, target: str, path: str, value: Any) -> "Patch":
        return cls(target=target, op="replace", path=path, value=value)

    @classmethod
    def remove(cls, target: str, path: str) -> "Patch":
        return cls(target=target, op="remove", path=path)

    @classmethod
    def copy(cls, target: str, from_path: str, path: str) -> "Patch":
        return cls(target=target, op="copy", path=path, from_path=from_path)

    @classmethod
    def move(cls, target: str, from_path: str, path: str) -> "Patch":
        return cls(target=target, op="move", path=path, from_path=from_path)

    @classmethod
    def test(cls, target: str, path: str, value: Any) -> "Patch":
        return cls(target=target, op="test", path=path, value=value)

    def _validate(self) -> None:
        split_target(self.target)
        _require(self.op in OPS, "op", f"got {self.op!r}; expected one of {', '.join(OPS)}")
        _check_pointer(self.path, "path")
        if self.op in ("move", "copy"):
            _check_pointer(self.from_path, "from_path")
        else:
            _require(self.from_path is None, "from_path", f"only move and copy take from_path, not {self.op}")
        object.__setattr__(self, "value", frozen_json(self.value, "value"))

    @property
    def kind(self) -> str:
        return split_target(self.target)[0]

    @property
    def name(self) -> str | None:
        return split_target(self.target)[1]

    def operation(self) -> dict[str, Any]:
        """The RFC 6902 operation as plain data."""
        out: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.op in ("add", "replace", "test"):
            out["value"] = thawed(self.value)
        if self.from_path is not None:
            out["from"] = self.from_path
        return out

    def __str__(self) -> str:
        moved = f" from {self.from_path}" if self.from_path is not None else ""
        return f"Patch.{self.op}({self.target!r}, {self.path!r}{moved})"


def extra_object(value: Any, where: str) -> FrozenDict:
    """One extra object: a dict, or a typed cdk8s object (its `to_json()`), checked for the fields
    every Kubernetes object needs and frozen."""
    to_json = getattr(value, "to_json", None)
    if not isinstance(value, Mapping) and callable(to_json):
        try:
            value = to_json()
        except Exception as exc:  # a typed object that cannot render is the spec's error
            raise _Invalid(where, f"{type(value).__name__}.to_json() failed: {exc}") from None
    _require(isinstance(value, Mapping), where,
             f"got {type(value).__name__}; expected a Kubernetes object as a dict or a typed cdk8s object")
    obj = frozen_json(value, where)
    for key in ("apiVersion", "kind"):
        _require(isinstance(obj.get(key), str) and bool(obj.get(key)), where, f"the object has no {key}")
    meta = obj.get("metadata")
    _require(isinstance(meta, Mapping) and isinstance(meta.get("name"), str), where,
             f"{obj['kind']}: the object has no metadata.name")
    problem = check_dns_subdomain(meta["name"])
    _require(problem is None, f"{where}.metadata.name", str(problem))
    return obj


def extra_objects(value: Any) -> tuple[FrozenDict, ...]:
    _require(isinstance(value, (list, tuple)), "extra_objects",
             f"got {type(value).__name__}; expected a list of Kubernetes objects (dicts or typed cdk8s objects)")
    objects = tuple(extra_object(item, f"extra_objects[{i}]") for i, item in enumerate(value))
    seen: set[tuple[str, str]] = set()
    for i, obj in enumerate(objects):
        ident = (obj["kind"], obj["metadata"]["name"])
        _require(ident not in seen, f"extra_objects[{i}]", f"{ident[0]}/{ident[1]} is listed twice")
        seen.add(ident)
    return objects


def patches(value: Any) -> tuple[Patch, ...]:
    _require(isinstance(value, (list, tuple)) and all(isinstance(p, Patch) for p in value), "patches",
             f"got {value!r}; expected a list of Patch.add(...), Patch.replace(...), ...")
    return tuple(value)


def metadata_for(value: Any, field_name: str, labels: bool) -> FrozenDict:
    """labels_for / annotations_for: {"pod" or a kind: {key: value}}, keys and values checked."""
    _require(isinstance(value, Mapping), field_name,
             f"got {value!r}; expected a mapping such as {{'pod': {{...}}, 'ServiceAccount': {{...}}}}")
    out = {}
    for target, entries in value.items():
        if target != POD:
            _require(isinstance(target, str) and bool(target) and set(target) <= _KIND_CHARS and target[0].isupper(),
                     field_name, f"got key {target!r}; expected 'pod' (the pod template) or a kind such as "
                     "ServiceAccount")
        _require(isinstance(entries, Mapping), f"{field_name}[{target!r}]", f"got {entries!r}; expected a mapping")
        for key, item in entries.items():
            problem = check_label_key(key)
            _require(problem is None, f"{field_name}[{target!r}]", f"key {key!r}: {problem}")
            _require(isinstance(item, str), f"{field_name}[{target!r}][{key!r}]",
                     f"got {item!r}; expected a string (quote numbers and booleans)")
            if labels:
                problem = check_label_value(item)
                _require(problem is None, f"{field_name}[{target!r}][{key!r}]", str(problem))
        out[target] = FrozenDict(entries)
    return FrozenDict(out)


wrap_part_init(Patch)
