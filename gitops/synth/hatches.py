"""Applying a spec's escape hatches (gitops/spec/parts/patch.py) to the objects its kind's builder made:
extra objects first (namespaced and labelled like the rest), then `labels_for`/`annotations_for`,
then the JSON patches in the order written. Runs inside synthesis, so what it makes is cached,
validated, checked by the policies and compared by the drift gate like every other object.
"""
from __future__ import annotations

import copy
import os
from typing import Any

from ..errors import InputError
from ..schema.scope import namespaced
from ..spec.parts.patch import POD, Patch, thawed
from .cluster import VALIDATION_SETTING
from .context import Target

# Where kinds keep their pod template (the first that exists is used).
TEMPLATE_PATHS = (("spec", "template"), ("spec", "jobTemplate", "spec", "template"))


class PatchFailed(Exception):
    """A JSON Patch operation that cannot be applied; the message says why."""


def apply_hatches(t: Target, objects: list[dict]) -> list[dict]:
    app = t.app
    if not (getattr(app, "extra_objects", ()) or getattr(app, "patches", ())
            or getattr(app, "labels_for", None) or getattr(app, "annotations_for", None)):
        return objects
    extras = [_extra(t, obj) for obj in app.extra_objects]
    objects = objects + extras
    touched = {id(obj): obj for obj in extras}
    for field, key in (("labels_for", "labels"), ("annotations_for", "annotations")):
        for target, entries in getattr(app, field).items():
            for obj in objects:
                for meta in _metadata_of(obj, target):
                    meta[key] = {**(meta.get(key) or {}), **entries}
    for patch in app.patches:
        matched = [obj for obj in objects if obj.get("kind") == patch.kind
                   and (patch.name is None or obj["metadata"].get("name") == patch.name)]
        if not matched:
            made = ", ".join(sorted(f"{o.get('kind')}/{o['metadata'].get('name')}" for o in objects))
            raise _error(t, f"{patch} matches no object the app makes here ({made})")
        for obj in matched:
            try:
                apply_operation(obj, patch.operation())
            except PatchFailed as exc:
                raise _error(t, f"{patch} on {obj['kind']}/{obj['metadata'].get('name')}: {exc}") from None
            touched[id(obj)] = obj
    refuse_invalid(t, list(touched.values()))
    return objects


def refuse_invalid(t: Target, objects: list[dict]) -> None:
    """What `gitops check` would refuse in an extra or patched object (its schema, the API server's
    own checks) fails synth already, at the spec's line. Kinds without a known schema are left to
    `check` and its settings; the kinds' own output is not checked here (the tests cover it)."""
    setting = t.settings.get(VALIDATION_SETTING)
    if not objects or setting is None:
        return
    from ..manifests.resource import Origin, Resource
    from ..schema.validator import Options, Validator

    version, schemas_dir = setting
    validator = _VALIDATORS.get(setting)
    if validator is None:
        validator = _VALIDATORS[setting] = Validator(Options(
            version, ignore_missing_schemas=True, locate_lines=False,
            schemas_dir=schemas_dir if os.path.isdir(schemas_dir) else None))
    problems = []
    for obj in objects:
        for finding in validator.validate(Resource(obj, Origin(file=""))).findings:
            if finding.severity == "error":
                where = f"{obj.get('kind')}/{(obj.get('metadata') or {}).get('name')}"
                problems.append(f"{where}: {finding.path or '(object)'}: {finding.message} ({finding.rule})")
    if problems:
        raise _error(t, "an extra or patched object would be refused: " + "; ".join(problems[:5]))


_VALIDATORS: dict[tuple[str, str], Any] = {}


def _error(t: Target, message: str) -> InputError:
    return InputError(f"app {t.name!r}, environment {t.env!r}: {message}", file=t.spec_file, line=t.spec_line)


def _extra(t: Target, frozen: Any) -> dict:
    obj = thawed(frozen)
    meta = obj["metadata"]
    if "namespace" not in meta and namespaced(obj["apiVersion"], obj["kind"]) is not False:
        meta["namespace"] = t.namespace  # unknown custom kinds are namespaced, as most are
    elif meta.get("namespace") is None:
        meta.pop("namespace", None)  # `namespace: None` keeps a custom cluster-scoped kind unnamespaced
    meta["labels"] = {**t.labels(), **(meta.get("labels") or {})}
    return obj


def _metadata_of(obj: dict, target: str) -> list[dict]:
    """The metadata `target` names in `obj`: its pod template's ("pod"), its own (its kind), and
    for "PersistentVolumeClaim" also a StatefulSet's claim templates."""
    if target == POD:
        meta = _pod_meta(obj)
        return [meta] if meta is not None else []
    if obj.get("kind") == target:
        return [obj["metadata"]]
    if target == "PersistentVolumeClaim" and obj.get("kind") == "StatefulSet":
        templates = (obj.get("spec") or {}).get("volumeClaimTemplates") or []
        return [claim.setdefault("metadata", {}) for claim in templates if isinstance(claim, dict)]
    return []


def _pod_meta(obj: dict) -> dict | None:
    for path in TEMPLATE_PATHS:
        node: Any = obj
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            return node.setdefault("metadata", {})
    return None


# --- RFC 6902 -------------------------------------------------------------------------------------

def _tokens(pointer: str) -> list[str]:
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def _index(container: list, token: str, adding: bool) -> int:
    if adding and token == "-":
        return len(container)
    if not token.isdigit() or (token != "0" and token.startswith("0")):
        raise PatchFailed(f"{token!r} is not an index into a list")
    index = int(token)
    if index > len(container) or (index == len(container) and not adding):
        raise PatchFailed(f"index {index} is out of range (the list has {len(container)} items)")
    return index


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    tokens = _tokens(pointer)
    node = doc
    for depth, token in enumerate(tokens[:-1]):
        where = "/" + "/".join(tokens[:depth + 1])
        if isinstance(node, dict):
            if token not in node:
                raise PatchFailed(f"{where} does not exist")
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, adding=False)]
        else:
            raise PatchFailed(f"{where} is inside a {type(node).__name__}, not an object or list")
    return node, tokens[-1]


def _get(doc: Any, pointer: str) -> Any:
    if pointer == "":
        return doc
    parent, token = _parent(doc, pointer)
    if isinstance(parent, dict):
        if token not in parent:
            raise PatchFailed(f"{pointer} does not exist")
        return parent[token]
    if isinstance(parent, list):
        return parent[_index(parent, token, adding=False)]
    raise PatchFailed(f"{pointer} is inside a {type(parent).__name__}")


def _add(doc: Any, pointer: str, value: Any) -> None:
    if pointer == "":
        raise PatchFailed("the whole object cannot be replaced; patch its fields")
    parent, token = _parent(doc, pointer)
    if isinstance(parent, dict):
        parent[token] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, token, adding=True), value)
    else:
        raise PatchFailed(f"{pointer} is inside a {type(parent).__name__}")


def _remove(doc: Any, pointer: str) -> Any:
    if pointer == "":
        raise PatchFailed("the whole object cannot be removed; leave the option out of the spec")
    parent, token = _parent(doc, pointer)
    if isinstance(parent, dict):
        if token not in parent:
            raise PatchFailed(f"{pointer} does not exist")
        return parent.pop(token)
    if isinstance(parent, list):
        return parent.pop(_index(parent, token, adding=False))
    raise PatchFailed(f"{pointer} is inside a {type(parent).__name__}")


def apply_operation(doc: dict, op: dict) -> None:
    """Apply one RFC 6902 operation to `doc` in place (values are copied, never shared)."""
    name, path = op["op"], op["path"]
    if name == "add":
        _add(doc, path, copy.deepcopy(op["value"]))
    elif name == "remove":
        _remove(doc, path)
    elif name == "replace":
        _remove(doc, path)
        _add(doc, path, copy.deepcopy(op["value"]))
    elif name == "move":
        if path.startswith(op["from"] + "/"):
            raise PatchFailed(f"cannot move {op['from']} into its own child {path}")
        _add(doc, path, _remove(doc, op["from"]))
    elif name == "copy":
        _add(doc, path, copy.deepcopy(_get(doc, op["from"])))
    elif name == "test":
        if _get(doc, path) != op["value"]:
            raise PatchFailed(f"test failed: {path} is {_get(doc, path)!r}, not {op['value']!r}")
    else:
        raise PatchFailed(f"unknown operation {name!r}")


__all__ = ["Patch", "PatchFailed", "apply_hatches", "apply_operation"]
