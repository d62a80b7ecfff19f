"""Checks inside the pod spec (every workload kind): containers, volumes, env, resources, probes."""
from __future__ import annotations

from typing import Any

from .. import formats
from ..engine import APPS, JOBS, Ctx, is_int, q
from .common import Found, containers, dicts, join


def restart_policy(pod: Any, path: str, ctx: Ctx) -> Found:
    """A template's restartPolicy defaults to Always, which a Job refuses; apps/v1 allow only Always."""
    if not isinstance(pod, dict):
        return
    policy = pod.get("restartPolicy")
    if policy is None:
        policy = "Always"
    if not isinstance(policy, str):
        return
    if ctx.kind in APPS:
        allowed: tuple[str, ...] = ("Always",)
    elif ctx.kind in JOBS:
        allowed = ("OnFailure", "Never")
    else:
        allowed = ("Always", "OnFailure", "Never")
    if policy not in allowed:
        yield join(path, "restartPolicy"), {"value": q(policy), "supported": ", ".join(f'"{a}"' for a in allowed)}


def dns_config_required(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict) or pod.get("dnsPolicy") != "None":
        return
    config = pod.get("dnsConfig")
    if not isinstance(config, dict):
        if config is None:
            yield join(path, "dnsConfig"), {
                "detail": "Required value: must provide `dnsConfig` when `dnsPolicy` is None"}
    elif not config.get("nameservers"):
        yield join(path, "dnsConfig.nameservers"), {
            "detail": "Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"}


def container_names_unique(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict):
        return
    seen: set[str] = set()
    for key, i, c in containers(pod):
        name = c.get("name")
        if isinstance(name, str):
            if name in seen:
                yield f"{path}.{key}[{i}].name", {"value": q(name)}
            seen.add(name)


def volume_names_unique(volumes: Any, path: str, ctx: Ctx) -> Found:
    seen: set[str] = set()
    for i, vol in dicts(volumes):
        name = vol.get("name")
        if isinstance(name, str):
            if name in seen:
                yield f"{path}[{i}].name", {"value": q(name)}
            seen.add(name)


def volume_mounts_declared(pod: Any, path: str, ctx: Ctx) -> Found:
    """Each volumeMount names a pod volume (or, in a StatefulSet, a volumeClaimTemplate)."""
    if not isinstance(pod, dict):
        return
    declared = {v.get("name") for _, v in dicts(pod.get("volumes")) if isinstance(v.get("name"), str)}
    if ctx.kind == "StatefulSet":
        spec = ctx.obj.get("spec")
        templates = spec.get("volumeClaimTemplates") if isinstance(spec, dict) else None
        for _, t in dicts(templates):
            meta = t.get("metadata")
            if isinstance(meta, dict):
                if isinstance(meta.get("name"), str):
                    declared.add(meta["name"])
    for key, i, c in containers(pod):
        for list_key in ("volumeMounts", "volumeDevices"):
            for j, mount in dicts(c.get(list_key)):
                name = mount.get("name")
                if isinstance(name, str) and name not in declared:
                    yield f"{path}.{key}[{i}].{list_key}[{j}].name", {"value": q(name)}


def container_port_names_unique(ports: Any, path: str, ctx: Ctx) -> Found:
    seen: set[str] = set()
    for i, port in dicts(ports):
        name = port.get("name")
        if isinstance(name, str) and name and not formats.iana_svc_name_errors(name):
            if name in seen:
                yield f"{path}[{i}].name", {"value": q(name)}
            seen.add(name)


def host_port_matches_with_host_network(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict) or pod.get("hostNetwork") is not True:
        return
    for key, i, c in containers(pod):
        for j, port in dicts(c.get("ports")):
            host, container = port.get("hostPort"), port.get("containerPort")
            if is_int(host) and is_int(container) and host != 0 and host != container:
                yield f"{path}.{key}[{i}].ports[{j}].hostPort", {"value": host}


def pod_image_required(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict):
        return
    for key, i, c in containers(pod):
        if not c.get("image"):
            yield f"{path}.{key}[{i}].image", {}


_STRICT_ENV = formats.env_var_name_errors_strict
_RELAXED_ENV = formats.env_var_name_errors_relaxed


def env_var_names(container: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(container, dict):
        return
    errors = _RELAXED_ENV if ctx.version >= (1, 32) else _STRICT_ENV
    for i, env in dicts(container.get("env")):
        name = env.get("name")
        if isinstance(name, str):
            for detail in errors(name):
                yield f"{path}.env[{i}].name", {"value": q(name), "detail": detail}


def resource_quantities(resources: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(resources, dict):
        return
    for section in ("limits", "requests"):
        values = resources.get(section)
        if not isinstance(values, dict):
            continue
        for name, raw in values.items():
            if raw is None or isinstance(raw, (dict, list, bool)):
                continue  # a type error: the schema check reports it
            amount = formats.parse_quantity(raw)
            where = f"{path}.{section}[{name}]"
            if amount is None:
                yield where, {"value": q(raw), "detail": formats.MSG_QUANTITY}
            elif amount < 0:
                yield where, {"value": q(raw), "detail": "must be greater than or equal to 0"}


def limits_cover_requests(resources: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(resources, dict):
        return
    limits, requests = resources.get("limits"), resources.get("requests")
    if not isinstance(limits, dict) or not isinstance(requests, dict):
        return
    for name, raw in requests.items():
        if name not in limits:
            continue
        req, lim = formats.parse_quantity(raw), formats.parse_quantity(limits[name])
        if req is not None and lim is not None and req > lim:
            yield f"{path}.requests", {"value": q(formats.format_quantity(raw)), "resource": name,
                                               "limit": formats.format_quantity(limits[name])}


_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")


def probe_handler(probe: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(probe, dict):
        return
    count = sum(1 for h in _HANDLERS if probe.get(h) is not None)
    if count == 0:
        yield path, {"detail": "Required value: must specify a handler type"}
    elif count > 1:
        yield path, {"detail": "Forbidden: may not specify more than 1 handler type"}


def success_threshold_one(probe: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(probe, dict):
        value = probe.get("successThreshold")
        if is_int(value) and value not in (0, 1):  # 0 is unset: defaulted to 1
            yield join(path, "successThreshold"), {"value": value}


def named_port(value: Any, path: str, ctx: Ctx) -> Found:
    """An int-or-string port: numbers 1–65535, names IANA service names."""
    if is_int(value):
        if not 1 <= value <= 65535:
            yield path, {"value": value, "detail": "must be between 1 and 65535, inclusive"}
    elif isinstance(value, str):
        for detail in formats.iana_svc_name_errors(value):
            yield path, {"value": q(value), "detail": detail}


def target_port(value: Any, path: str, ctx: Ctx) -> Found:
    """A Service targetPort of 0 or "" is unset: the API server defaults it to `port`."""
    if value == 0 or value == "":
        return
    yield from named_port(value, path, ctx)


def toleration(value: Any, path: str, ctx: Ctx) -> Found:
    """Exists takes no value; an empty key needs Exists; tolerationSeconds only with NoExecute."""
    if not isinstance(value, dict):
        return
    operator = value.get("operator") or "Equal"
    if operator == "Exists" and value.get("value"):
        yield join(path, "operator"), {"detail": f"Invalid value: {q(value.get('value'))}: value must be empty "
                                                 "when `operator` is 'Exists'"}
    if not value.get("key") and operator != "Exists":
        yield join(path, "operator"), {"detail": f"Invalid value: {q(operator)}: operator must be Exists when `key` "
                                                 "is empty, which means \"match all values and all keys\""}
    effect = value.get("effect")
    if value.get("tolerationSeconds") is not None and effect not in (None, "NoExecute"):
        yield join(path, "effect"), {"detail": f"Invalid value: {q(effect)}: effect must be 'NoExecute' when "
                                               "`tolerationSeconds` is set"}


def file_mode(value: Any, path: str, ctx: Ctx) -> Found:
    if is_int(value) and not 0 <= value <= 0o777:
        yield path, {"value": value}


_OVERCOMMIT = frozenset({"cpu", "memory", "ephemeral-storage"})
_STANDARD_CONTAINER_RESOURCES = _OVERCOMMIT


def resource_names(resources: Any, path: str, ctx: Ctx) -> Found:
    """Container resources are cpu, memory, ephemeral-storage, hugepages-<size> or a domain/name."""
    if not isinstance(resources, dict):
        return
    for section in ("limits", "requests"):
        values = resources.get(section)
        if not isinstance(values, dict):
            continue
        for name in values:
            if not isinstance(name, str):
                continue
            where = f"{path}.{section}[{name}]"
            if "/" not in name:
                if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
                    yield where, {"detail": f"Invalid value: {q(name)}: must be a standard resource for containers"}
            else:
                for detail in formats.qualified_name_errors(name):
                    yield where, {"detail": f"Invalid value: {q(name)}: {detail}"}


def non_overcommit_resources(resources: Any, path: str, ctx: Ctx) -> Found:
    """Hugepages and extended resources (nvidia.com/gpu) need a limit, and request must equal it."""
    if not isinstance(resources, dict):
        return
    limits, requests = resources.get("limits"), resources.get("requests")
    limits = limits if isinstance(limits, dict) else {}
    if not isinstance(requests, dict):
        return
    for name, raw in requests.items():
        if not isinstance(name, str) or name in _OVERCOMMIT or not ("/" in name or name.startswith("hugepages-")):
            continue
        if name not in limits:
            yield f"{path}.limits[{name}]", {
                "detail": "Required value: Limit must be set for non overcommitable resources"}
            continue
        req, lim = formats.parse_quantity(raw), formats.parse_quantity(limits[name])
        if req is not None and lim is not None and req != lim:
            yield f"{path}.requests", {"detail": f"Invalid value: {q(formats.format_quantity(raw))}: must be equal to "
                                                 f"{name} limit of {formats.format_quantity(limits[name])}"}


def pod_image_whitespace(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict):
        return
    for key, i, c in containers(pod):
        image = c.get("image")
        if isinstance(image, str) and image != image.strip():
            yield f"{path}.{key}[{i}].image", {"value": q(image)}


_ENV_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")


def env_value_from(container: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(container, dict):
        return
    for i, env in dicts(container.get("env")):
        source = env.get("valueFrom")
        if source is None:
            continue
        where = f"{path}.env[{i}].valueFrom"
        if env.get("value"):
            yield where, {"detail": "Invalid value: \"\": may not be specified when `value` is not empty"}
        if isinstance(source, dict):
            count = sum(1 for s in _ENV_SOURCES if source.get(s) is not None)
            if count == 0:
                yield where, {"detail": "Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, "
                                        "`configMapKeyRef` or `secretKeyRef`"}
            elif count > 1:
                yield where, {"detail": "Invalid value: \"\": may not have more than one field specified at a time"}


_NOT_SOURCES = frozenset({"name"})


def volume_source(volume: Any, path: str, ctx: Ctx) -> Found:
    """A volume has one source (none means emptyDir, defaulted)."""
    if isinstance(volume, dict):
        sources = [k for k, v in volume.items() if k not in _NOT_SOURCES and v is not None]
        if len(sources) > 1:
            yield join(path, sources[1]), {"detail": "Forbidden: may not specify more than 1 volume type"}


def volume_mount_paths(container: Any, path: str, ctx: Ctx) -> Found:
    """mountPath set and unique in a container; subPath relative and without '..'."""
    if not isinstance(container, dict):
        return
    seen: set[str] = set()
    for j, mount in dicts(container.get("volumeMounts")):
        where = f"{path}.volumeMounts[{j}]"
        mount_path = mount.get("mountPath")
        if not mount_path:
            yield f"{where}.mountPath", {"detail": "Required value"}
        elif isinstance(mount_path, str):
            if mount_path in seen:
                yield f"{where}.mountPath", {"detail": f"Invalid value: {q(mount_path)}: must be unique"}
            seen.add(mount_path)
        sub_path = mount.get("subPath")
        if isinstance(sub_path, str) and sub_path:
            if sub_path.startswith("/"):
                yield f"{where}.subPath", {"detail": f"Invalid value: {q(sub_path)}: must be a relative path"}
            elif ".." in sub_path.split("/"):
                yield f"{where}.subPath", {"detail": f"Invalid value: {q(sub_path)}: must not contain '..'"}


def host_ports_unique(pod: Any, path: str, ctx: Ctx) -> Found:
    """A host port (with its protocol and host IP) is used once across the pod's containers."""
    if not isinstance(pod, dict):
        return
    seen: set[tuple] = set()
    for key, i, c in containers(pod):
        for j, port in dicts(c.get("ports")):
            host_port = port.get("hostPort")
            if not is_int(host_port) or host_port == 0:
                continue
            protocol, host_ip = port.get("protocol") or "TCP", port.get("hostIP") or ""
            if not isinstance(protocol, str) or not isinstance(host_ip, str):
                continue
            entry = (host_port, protocol, host_ip)
            if entry in seen:
                yield f"{path}.{key}[{i}].ports[{j}].hostPort", {"value": q(f"{host_port}/{protocol}")}
            seen.add(entry)
