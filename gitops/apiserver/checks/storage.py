"""Checks on ConfigMaps, Secrets and PersistentVolumeClaims."""
from __future__ import annotations

from typing import Any

from .. import formats
from ..engine import Ctx, q
from .common import Found, join


def config_duplicate_keys(obj: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(obj, dict):
        return
    data, binary = obj.get("data"), obj.get("binaryData")
    if isinstance(data, dict) and isinstance(binary, dict):
        for key in sorted(k for k in binary if k in data and isinstance(k, str)):
            yield f"data[{key}]", {"value": q(key)}


def config_size(obj: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(obj, dict):
        return
    total = 0
    for section in ("data", "binaryData", "stringData"):
        values = obj.get(section)
        if isinstance(values, dict):
            for key, value in values.items():
                if isinstance(key, str) and isinstance(value, str):
                    size = len(value.encode()) if section != "binaryData" and not (
                        section == "data" and ctx.kind == "Secret") else len(value) * 3 // 4
                    total += len(key) + size
    if total > formats.CONFIG_MAX_BYTES:
        yield "data", {"limit": formats.CONFIG_MAX_BYTES}


def base64_values(data: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                error = formats.base64_error(value)
                if error:
                    yield f"{path}[{key}]", {"detail": error}


_SECRET_KEYS = {
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/ssh-auth": ("ssh-privatekey",),
}


def secret_type_keys(obj: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(obj, dict):
        return
    secret_type = obj.get("type")
    keys: set = set()
    for section in ("data", "stringData"):
        values = obj.get(section)
        if isinstance(values, dict):
            keys.update(values)
    for key in _SECRET_KEYS.get(secret_type, ()) if isinstance(secret_type, str) else ():
        if key not in keys:
            yield f"data[{key}]", {"detail": "Required value"}
    if secret_type == "kubernetes.io/basic-auth" and not keys & {"username", "password"}:
        yield "data[username]", {"detail": "Required value: must have at least one of username or password"}
    if secret_type == "kubernetes.io/service-account-token":
        meta = obj.get("metadata")
        annotations = meta.get("annotations") if isinstance(meta, dict) else None
        if not isinstance(annotations, dict) or not annotations.get("kubernetes.io/service-account.name"):
            yield "metadata.annotations[kubernetes.io/service-account.name]", {"detail": "Required value"}


def access_modes(spec: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(spec, dict):
        return
    modes = spec.get("accessModes")
    if not modes:
        if spec.get("dataSourceRef") is None:
            yield join(path, "accessModes"), {"detail": "Required value: at least 1 access mode is required"}
        return
    if isinstance(modes, list) and "ReadWriteOncePod" in modes and len(modes) > 1:
        yield join(path, "accessModes"), {
            "detail": "Forbidden: may not use ReadWriteOncePod with other access modes"}


def storage_request(spec: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(spec, dict):
        return
    resources = spec.get("resources")
    requests = resources.get("requests") if isinstance(resources, dict) else None
    storage = requests.get("storage") if isinstance(requests, dict) else None
    if storage is None:
        yield join(path, "resources[storage]"), {"detail": "Required value"}
        return
    amount = formats.parse_quantity(storage)
    if amount is not None and amount <= 0:
        yield join(path, "resources.requests[storage]"), {
            "detail": f"Invalid value: {q(storage)}: must be greater than zero"}
