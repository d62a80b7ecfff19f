"""Checks that look at more than one field, in the API server's terms. Each yields (path, fields)."""
from __future__ import annotations

import ipaddress
from typing import Any, Iterator

from . import cron, formats
from .engine import APPS, JOBS, Ctx, Fields, is_int, q

Found = Iterator[tuple[str, Fields]]


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _dicts(value: Any) -> Iterator[tuple[int, dict]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _containers(pod: dict) -> Iterator[tuple[str, int, dict]]:
    for key in ("containers", "initContainers"):
        for i, c in _dicts(pod.get(key)):
            yield key, i, c


# ---- metadata -------------------------------------------------------------------------------------

def name_required(meta: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(meta, dict) and not meta.get("name") and not meta.get("generateName"):
        yield join(path, "name"), {}


def annotations_size(value: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(value, dict):
        total = sum(len(k.encode()) + len(v.encode()) for k, v in value.items()
                    if isinstance(k, str) and isinstance(v, str))
        if total > formats.ANNOTATIONS_MAX_BYTES:
            yield path, {"limit": formats.ANNOTATIONS_MAX_BYTES}


def annotation_key_errors(key: str) -> list[str]:
    return formats.qualified_name_errors(key.lower())


def cronjob_name_length(value: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(value, str) and len(value) > 52:
        yield path, {"value": q(value)}


def job_name_length(value: Any, path: str, ctx: Ctx) -> Found:
    """The Job's name becomes its pods' job-name label value, so 63 characters at most."""
    if isinstance(value, str) and len(value) > 63:
        yield "spec.template.labels", {"value": q(value)}


# ---- pod spec -------------------------------------------------------------------------------------

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
            yield join(path, "dnsConfig"), {"detail": "Required value: must provide `dnsConfig` when `dnsPolicy` is None"}
    elif not config.get("nameservers"):
        yield join(path, "dnsConfig.nameservers"), {
            "detail": "Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"}


def container_names_unique(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict):
        return
    seen: set[str] = set()
    for key, i, c in _containers(pod):
        name = c.get("name")
        if isinstance(name, str):
            if name in seen:
                yield f"{path}.{key}[{i}].name", {"value": q(name)}
            seen.add(name)


def volume_names_unique(volumes: Any, path: str, ctx: Ctx) -> Found:
    seen: set[str] = set()
    for i, vol in _dicts(volumes):
        name = vol.get("name")
        if isinstance(name, str):
            if name in seen:
                yield f"{path}[{i}].name", {"value": q(name)}
            seen.add(name)


def volume_mounts_declared(pod: Any, path: str, ctx: Ctx) -> Found:
    """Each volumeMount names a pod volume (or, in a StatefulSet, a volumeClaimTemplate)."""
    if not isinstance(pod, dict):
        return
    declared = {v.get("name") for _, v in _dicts(pod.get("volumes"))}
    if ctx.kind == "StatefulSet":
        spec = ctx.obj.get("spec")
        templates = spec.get("volumeClaimTemplates") if isinstance(spec, dict) else None
        for _, t in _dicts(templates):
            meta = t.get("metadata")
            if isinstance(meta, dict):
                declared.add(meta.get("name"))
    for key, i, c in _containers(pod):
        for list_key in ("volumeMounts", "volumeDevices"):
            for j, mount in _dicts(c.get(list_key)):
                name = mount.get("name")
                if isinstance(name, str) and name not in declared:
                    yield f"{path}.{key}[{i}].{list_key}[{j}].name", {"value": q(name)}


def container_port_names_unique(ports: Any, path: str, ctx: Ctx) -> Found:
    seen: set[str] = set()
    for i, port in _dicts(ports):
        name = port.get("name")
        if isinstance(name, str) and name and not formats.iana_svc_name_errors(name):
            if name in seen:
                yield f"{path}[{i}].name", {"value": q(name)}
            seen.add(name)


def host_port_matches_with_host_network(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict) or pod.get("hostNetwork") is not True:
        return
    for key, i, c in _containers(pod):
        for j, port in _dicts(c.get("ports")):
            host, container = port.get("hostPort"), port.get("containerPort")
            if is_int(host) and is_int(container) and host != 0 and host != container:
                yield f"{path}.{key}[{i}].ports[{j}].hostPort", {"value": host}


def pod_image_required(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict):
        return
    for key, i, c in _containers(pod):
        if not c.get("image"):
            yield f"{path}.{key}[{i}].image", {}


_STRICT_ENV = formats.env_var_name_errors_strict
_RELAXED_ENV = formats.env_var_name_errors_relaxed


def env_var_names(container: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(container, dict):
        return
    errors = _RELAXED_ENV if ctx.version >= (1, 32) else _STRICT_ENV
    for i, env in _dicts(container.get("env")):
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
        if is_int(value) and value != 1:
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


# ---- workloads ------------------------------------------------------------------------------------

def _selector_matches(selector: dict, labels: dict) -> bool:
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, dict):
        return True
    for key, value in match_labels.items():
        if labels.get(key) != value:
            return False
    for _, expr in _dicts(selector.get("matchExpressions")):
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if not isinstance(values, list):
            return True
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def selector_matches_template(spec: Any, path: str, ctx: Ctx) -> Found:
    """apps/v1: the selector is required, non-empty and must select the pod template's labels."""
    if not isinstance(spec, dict):
        return
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        if selector is None and ctx.kind != "DaemonSet":
            yield join(path, "selector"), {"detail": "Required value"}
        elif selector is None:  # a DaemonSet's missing selector selects nothing
            yield join(path, "template.metadata.labels"), {
                "detail": "Invalid value: ...: `selector` does not match template `labels`"}
        return
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        # ReplicaSet validation shares Deployment's wording
        owner = "deployment" if ctx.kind == "ReplicaSet" else ctx.kind.lower()
        yield join(path, "selector"), {"detail": f"Invalid value: {q(selector)}: empty selector is invalid for {owner}"}
        return
    template = spec.get("template")
    meta = template.get("metadata") if isinstance(template, dict) else None
    labels = meta.get("labels") if isinstance(meta, dict) else None
    labels = labels if isinstance(labels, dict) else {}
    if not _selector_matches(selector, labels):
        yield join(path, "template.metadata.labels"), {
            "detail": f"Invalid value: {q(labels)}: `selector` does not match template `labels`"}


def label_selector(selector: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(selector, dict):
        return
    for i, expr in _dicts(selector.get("matchExpressions")):
        op, values = expr.get("operator"), expr.get("values")
        where = f"{path}.matchExpressions[{i}]"
        if not isinstance(op, str):
            continue
        if op in ("In", "NotIn"):
            if not values:
                yield f"{where}.values", {"detail": "Required value: must be specified when `operator` is 'In' or 'NotIn'"}
        elif op in ("Exists", "DoesNotExist"):
            if values:
                yield f"{where}.values", {"detail": "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"}
        else:
            yield f"{where}.operator", {"detail": f"Invalid value: {q(op)}: not a valid selector operator"}


def _int_or_percent(value: Any) -> tuple[int | None, str | None]:
    """(amount, error) of an int-or-percent; amount is the number or the percentage."""
    if is_int(value):
        return value, None if value >= 0 else "must be greater than or equal to 0"
    if isinstance(value, str):
        if not formats.PERCENT.fullmatch(value):
            return None, formats.MSG_PERCENT
        return int(value[:-1]), None
    return None, None


def int_or_percent(value: Any, path: str, ctx: Ctx) -> Found:
    _, error = _int_or_percent(value)
    if error:
        yield path, {"value": q(value), "detail": error}


def not_over_100_percent(value: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(value, str) and formats.PERCENT.fullmatch(value) and int(value[:-1]) > 100:
        yield path, {"value": q(value), "detail": "must not be greater than 100%"}


# Defaults the API server fills in before validating: (maxUnavailable, maxSurge).
_SURGE_DEFAULTS = {"Deployment": ("25%", "25%"), "DaemonSet": (1, 0)}


def surge_and_unavailable(rolling: Any, path: str, ctx: Ctx) -> Found:
    """After defaulting: a Deployment needs one of them non-zero, a DaemonSet exactly one."""
    if not isinstance(rolling, dict) or ctx.kind not in _SURGE_DEFAULTS:
        return
    default_unavailable, default_surge = _SURGE_DEFAULTS[ctx.kind]
    unavailable = rolling.get("maxUnavailable", default_unavailable)
    surge = rolling.get("maxSurge", default_surge)
    u, ue = _int_or_percent(unavailable)
    s, se = _int_or_percent(surge)
    if ue or se or u is None or s is None:
        return  # a malformed value has its own finding
    if u == 0 and s == 0:
        if ctx.kind == "DaemonSet":
            yield join(path, "maxUnavailable"), {"detail": "Required value: cannot be 0 when maxSurge is 0"}
        else:
            yield join(path, "maxUnavailable"), {"detail": f"Invalid value: {q(unavailable)}: may not be 0 when "
                                                           "`maxSurge` is 0"}
    elif ctx.kind == "DaemonSet" and u != 0 and s != 0:
        yield join(path, "maxSurge"), {"detail": f"Invalid value: {q(surge)}: may not be set when maxUnavailable "
                                                 "is non-zero"}


def template_active_deadline(pod: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(pod, dict) and pod.get("activeDeadlineSeconds") is not None:
        owner = "ReplicaSet" if ctx.kind == "Deployment" else ctx.kind
        yield join(path, "activeDeadlineSeconds"), {"owner": owner}


def statefulset_update_strategy(strategy: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(strategy, dict):
        return
    kind = strategy.get("type")
    if isinstance(kind, str) and kind not in ("RollingUpdate", "OnDelete"):
        yield path, {"detail": f"Invalid value: {q(strategy)}: must be 'RollingUpdate' or 'OnDelete'"}
    elif kind == "OnDelete" and strategy.get("rollingUpdate") is not None:
        yield join(path, "rollingUpdate"), {
            "detail": f"Invalid value: {q(strategy['rollingUpdate'])}: only allowed for updateStrategy 'RollingUpdate'"}


def recreate_has_no_rolling_update(strategy: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(strategy, dict) and strategy.get("type") == "Recreate" and strategy.get("rollingUpdate") is not None:
        yield join(path, "rollingUpdate"), {}


def progress_deadline(spec: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(spec, dict):
        return
    deadline, ready = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds", 0)
    if is_int(deadline) and is_int(ready) and deadline <= ready:
        yield join(path, "progressDeadlineSeconds"), {"value": deadline}


def cron_schedule(value: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(value, str):
        return
    if "TZ" in value:
        yield path, {"value": q(value), "detail": "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"}
        return
    error = cron.schedule_error(value)
    if error:
        yield path, {"value": q(value), "detail": error}


def time_zone(value: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(value, str):
        error = cron.time_zone_error(value)
        if error:
            yield path, {"value": q(value), "detail": error}


# ---- Service --------------------------------------------------------------------------------------

def service_ports(spec: Any, path: str, ctx: Ctx) -> Found:
    """Port names: required when there are several, unique; (port, protocol) pairs unique."""
    if not isinstance(spec, dict):
        return
    ports = [(i, p) for i, p in _dicts(spec.get("ports"))]
    names: set[str] = set()
    pairs: set[tuple] = set()
    for i, port in ports:
        name = port.get("name")
        where = f"{join(path, 'ports')}[{i}]"
        if len(ports) > 1 and not name:
            yield f"{where}.name", {"detail": "Required value"}
        if isinstance(name, str) and name:
            if name in names:
                yield f"{where}.name", {"detail": f"Duplicate value: {q(name)}"}
            names.add(name)
        pair = (port.get("port"), port.get("protocol") or "TCP")
        if is_int(pair[0]) and isinstance(pair[1], str):
            if pair in pairs:
                yield where, {"detail": f"Duplicate value: {q({'port': pair[0], 'protocol': pair[1]})}"}
            pairs.add(pair)
    service_type = spec.get("type") or "ClusterIP"
    if not ports and service_type != "ExternalName" and spec.get("clusterIP") != "None":
        yield join(path, "ports"), {"detail": "Required value"}


def service_type_fields(spec: Any, path: str, ctx: Ctx) -> Found:
    """What each Service type forbids or needs: node ports, 'None' cluster IPs, externalName."""
    if not isinstance(spec, dict):
        return
    service_type = spec.get("type") or "ClusterIP"
    if not isinstance(service_type, str):
        return
    cluster_ip = spec.get("clusterIP")
    if service_type in ("ClusterIP", "ExternalName"):
        for i, port in _dicts(spec.get("ports")):
            if port.get("nodePort") not in (None, 0):
                yield f"{join(path, 'ports')}[{i}].nodePort", {
                    "detail": f"Forbidden: may not be used when `type` is '{service_type}'"}
    if service_type in ("NodePort", "LoadBalancer") and cluster_ip == "None":
        yield join(path, "clusterIP"), {
            "detail": f"Invalid value: \"None\": may not be set to 'None' for {service_type} services"}
    if service_type == "ExternalName":
        name = spec.get("externalName")
        if not name:
            yield join(path, "externalName"), {"detail": "Required value"}
        elif isinstance(name, str):
            for detail in formats.dns1123_subdomain_errors(name.rstrip(".")):
                yield join(path, "externalName"), {"detail": f"Invalid value: {q(name)}: {detail}"}
        if cluster_ip not in (None, ""):
            yield join(path, "clusterIP"), {"detail": "Forbidden: may not be set for ExternalName services"}
    policy = spec.get("externalTrafficPolicy")
    reachable = service_type in ("NodePort", "LoadBalancer") or (service_type == "ClusterIP" and spec.get("externalIPs"))
    if policy not in (None, "") and not reachable:
        yield join(path, "externalTrafficPolicy"), {
            "detail": f"Invalid value: {q(policy)}: may only be set for externally-accessible services"}


# ---- Ingress --------------------------------------------------------------------------------------

_BAD_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_BAD_PATH_SUFFIXES = ("/..", "/.")


def ingress_path(item: Any, path: str, ctx: Ctx) -> Found:
    """pathType required; Exact and Prefix paths absolute and clean; ImplementationSpecific absolute if set."""
    if not isinstance(item, dict):
        return
    path_type, value = item.get("pathType"), item.get("path")
    if path_type is None:
        yield join(path, "pathType"), {"detail": "Required value: pathType must be specified"}
        return
    if not isinstance(value, str):
        value = ""
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            yield join(path, "path"), {"detail": f"Invalid value: {q(value)}: must be an absolute path"}
        for bad in _BAD_PATH_SEQUENCES:
            if bad in value:
                yield join(path, "path"), {"detail": f"Invalid value: {q(value)}: must not contain '{bad}'"}
        for end in _BAD_PATH_SUFFIXES:
            if value.endswith(end):
                yield join(path, "path"), {"detail": f"Invalid value: {q(value)}: cannot end with '{end}'"}
    elif path_type == "ImplementationSpecific" and value and not value.startswith("/"):
        yield join(path, "path"), {"detail": f"Invalid value: {q(value)}: must be an absolute path"}


def ingress_backend(backend: Any, path: str, ctx: Ctx) -> Found:
    """A service (DNS-1035 name; a port name or number, not both) or a resource, not both."""
    if not isinstance(backend, dict):
        return
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        yield path, {"detail": "Invalid value: \"\": cannot set both resource and service backends"}
        return
    if resource is not None:
        return
    if not isinstance(service, dict):
        if service is None:
            yield path, {"detail": "Invalid value: \"\": resource or service backend is required"}
        return
    name = service.get("name")
    if not name:
        yield join(path, "service.name"), {"detail": "Required value"}
    elif isinstance(name, str):
        for detail in formats.dns1035_label_errors(name):
            yield join(path, "service.name"), {"detail": f"Invalid value: {q(name)}: {detail}"}
    port = service.get("port")
    port = port if isinstance(port, dict) else {}
    port_name, number = port.get("name"), port.get("number")
    if port_name and number:
        yield path, {"detail": "Invalid value: \"\": cannot set both port name & port number"}
    elif isinstance(port_name, str) and port_name:
        for detail in formats.iana_svc_name_errors(port_name):
            yield join(path, "service.port.name"), {"detail": f"Invalid value: {q(port_name)}: {detail}"}
    elif not number:
        yield path, {"detail": "Required value: port name or number is required"}


def ingress_host(value: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(value, str) or not value:
        return
    try:
        ipaddress.ip_address(value)
        yield path, {"value": q(value), "detail": "must be a DNS name, not an IP address"}
    except ValueError:
        pass
    for detail in formats.host_errors(value):
        yield path, {"value": q(value), "detail": detail}


def ingress_has_target(spec: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(spec, dict) and not spec.get("rules") and spec.get("defaultBackend") is None:
        yield path, {"detail": "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` "
                               "must be specified"}


def ingress_class_once(obj: Any, path: str, ctx: Ctx) -> Found:
    """The legacy class annotation and spec.ingressClassName together are refused."""
    if not isinstance(obj, dict):
        return
    meta, spec = obj.get("metadata"), obj.get("spec")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    if (isinstance(annotations, dict) and "kubernetes.io/ingress.class" in annotations
            and isinstance(spec, dict) and spec.get("ingressClassName") is not None):
        yield "annotations.kubernetes.io/ingress.class", {"value": q(annotations["kubernetes.io/ingress.class"])}


# ---- ConfigMap / Secret ---------------------------------------------------------------------------

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


# ---- PVC ------------------------------------------------------------------------------------------

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
            "detail": f"Forbidden: may not use ReadWriteOncePod with other access modes"}


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
        yield join(path, "resources.requests[storage]"), {"detail": f"Invalid value: {q(storage)}: must be greater than zero"}


# ---- HPA ------------------------------------------------------------------------------------------

def hpa_replicas(spec: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(spec, dict):
        return
    low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
    if is_int(low) and low < 1:
        yield join(path, "minReplicas"), {"detail": f"Invalid value: {low}: must be greater than or equal to 1"}
    if is_int(high):
        if high < 1:
            yield join(path, "maxReplicas"), {"detail": f"Invalid value: {high}: must be greater than 0"}
        elif is_int(low) and high < low:
            yield join(path, "maxReplicas"), {
                "detail": f"Invalid value: {high}: must be greater than or equal to `minReplicas`"}


_METRIC_SOURCE = {"Object": "object", "Pods": "pods", "Resource": "resource",
                  "ContainerResource": "containerResource", "External": "external"}


# What each metric source needs from its target, in autoscaling/validation's words.
_TARGET_NEEDS = {
    "resource": (("averageUtilization", "averageValue"), "averageUtilization",
                 "must set either a target raw value or a target utilization"),
    "containerResource": (("averageUtilization", "averageValue"), "averageUtilization",
                          "must set either a target raw value or a target utilization"),
    "pods": (("averageValue",), "averageValue", "must specify a positive target averageValue"),
    "object": (("value", "averageValue"), "averageValue", "must set either a target value or average value"),
    "external": (("value", "averageValue"), "averageValue",
                 "must set either a target value for metric or a per-pod target"),
}


def hpa_metric(metric: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(metric, dict):
        return
    metric_type = metric.get("type")
    source_key = _METRIC_SOURCE.get(metric_type) if isinstance(metric_type, str) else None
    if source_key is None:
        return
    for other in _METRIC_SOURCE.values():
        if other != source_key and metric.get(other) is not None:
            yield join(path, other), {"detail": "Forbidden: must populate the given metric source only"}
    source = metric.get(source_key)
    if not isinstance(source, dict):
        if source is None:
            yield join(path, source_key), {"detail": "Required value: must populate information for the given metric source"}
        return
    target = source.get("target")
    if not isinstance(target, dict):
        return
    where = join(path, f"{source_key}.target")
    accepted, field_name, message = _TARGET_NEEDS[source_key]
    present = [key for key in accepted if target.get(key) is not None]
    if not present:
        yield join(where, field_name), {"detail": f"Required value: {message}"}
    elif source_key in ("resource", "containerResource") and len(present) == 2:
        yield join(where, "averageValue"), {
            "detail": "Forbidden: may not set both a target raw value and a target utilization"}
    utilization = target.get("averageUtilization")
    if is_int(utilization) and utilization < 1:
        yield join(where, "averageUtilization"), {"detail": f"Invalid value: {utilization}: must be greater than 0"}
    for key in ("value", "averageValue"):
        amount = formats.parse_quantity(target.get(key)) if target.get(key) is not None else None
        if amount is not None and amount <= 0:
            yield join(where, key), {"detail": f"Invalid value: {q(target.get(key))}: must be positive"}


# ---- PDB ------------------------------------------------------------------------------------------

def pdb_exclusive(spec: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(spec, dict) and spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        yield path, {"detail": "Invalid value: ...: minAvailable and maxUnavailable cannot be both set"}


# ---- RBAC -----------------------------------------------------------------------------------------

def policy_rule(rule: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(rule, dict):
        return
    if not rule.get("verbs"):
        yield join(path, "verbs"), {"detail": "Required value: verbs must contain at least one value"}
    if rule.get("nonResourceURLs"):
        if ctx.kind == "Role":
            yield join(path, "nonResourceURLs"), {"detail": "Invalid value: ...: namespaced rules cannot apply to non-resource URLs"}
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            yield join(path, "nonResourceURLs"), {
                "detail": "Invalid value: ...: rules cannot apply to both regular resources and non-resource URLs"}
        return
    if not rule.get("apiGroups"):
        yield join(path, "apiGroups"), {"detail": "Required value: resource rules must supply at least one api group"}
    if not rule.get("resources"):
        yield join(path, "resources"), {"detail": "Required value: resource rules must supply at least one resource"}


def role_ref(ref: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(ref, dict):
        return
    kind = ref.get("kind")
    allowed = ("ClusterRole",) if ctx.kind == "ClusterRoleBinding" else ("Role", "ClusterRole")
    if isinstance(kind, str) and kind not in allowed:
        yield join(path, "kind"), {"detail": f"Unsupported value: {q(kind)}: supported values: "
                                             + ", ".join(f'"{a}"' for a in allowed)}
    group = ref.get("apiGroup")
    if isinstance(group, str) and group != "rbac.authorization.k8s.io":
        yield join(path, "apiGroup"), {"detail": f"Unsupported value: {q(group)}: supported values: \"rbac.authorization.k8s.io\""}
    if not ref.get("name"):
        yield join(path, "name"), {"detail": "Required value"}


def subject(value: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(value, dict):
        return
    kind, group, name = value.get("kind"), value.get("apiGroup"), value.get("name")
    if not name:
        yield join(path, "name"), {"detail": "Required value"}
    if kind == "ServiceAccount":
        if group:
            yield join(path, "apiGroup"), {"detail": f"Unsupported value: {q(group)}: supported values: \"\""}
        if isinstance(name, str) and name:
            for detail in formats.dns1123_subdomain_errors(name):
                yield join(path, "name"), {"detail": f"Invalid value: {q(name)}: {detail}"}
        if ctx.kind == "ClusterRoleBinding" and not value.get("namespace"):
            yield join(path, "namespace"), {"detail": "Required value"}
    elif kind in ("User", "Group"):
        if isinstance(group, str) and group != "rbac.authorization.k8s.io":
            yield join(path, "apiGroup"), {"detail": f"Unsupported value: {q(group)}: supported values: \"rbac.authorization.k8s.io\""}
    elif isinstance(kind, str):
        yield join(path, "kind"), {"detail": f"Unsupported value: {q(kind)}: supported values: \"ServiceAccount\", \"User\", \"Group\""}


# ---- NetworkPolicy --------------------------------------------------------------------------------

def network_policy_port(port: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(port, dict):
        return
    number, end = port.get("port"), port.get("endPort")
    if end is None:
        return
    if not is_int(number):
        yield join(path, "endPort"), {"detail": f"Invalid value: {q(end)}: may not be specified when `port` is non-numeric"}
    elif is_int(end) and end < number:
        yield join(path, "endPort"), {"detail": f"Invalid value: {end}: must be greater than or equal to `port`"}


def ip_block(block: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(block, dict):
        return
    cidr = block.get("cidr")
    if not isinstance(cidr, str):
        return
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        yield join(path, "cidr"), {"detail": f"Invalid value: {q(cidr)}: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"}
        return
    for i, item in enumerate(block.get("except") or ()):
        if not isinstance(item, str):
            continue
        try:
            excluded = ipaddress.ip_network(item, strict=False)
        except ValueError:
            yield f"{join(path, 'except')}[{i}]", {"detail": f"Invalid value: {q(item)}: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"}
            continue
        if excluded.version != network.version or not excluded.subnet_of(network) or excluded == network:  # type: ignore[arg-type]
            yield f"{join(path, 'except')}[{i}]", {"detail": f"Invalid value: {q(item)}: must be a strict subset of `cidr`"}


# ---- more pod spec ---------------------------------------------------------------------------------

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
            yield f"{path}.limits[{name}]", {"detail": "Required value: Limit must be set for non overcommitable resources"}
            continue
        req, lim = formats.parse_quantity(raw), formats.parse_quantity(limits[name])
        if req is not None and lim is not None and req != lim:
            yield f"{path}.requests", {"detail": f"Invalid value: {q(formats.format_quantity(raw))}: must be equal to "
                                                 f"{name} limit of {formats.format_quantity(limits[name])}"}


def pod_image_whitespace(pod: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(pod, dict):
        return
    for key, i, c in _containers(pod):
        image = c.get("image")
        if isinstance(image, str) and image != image.strip():
            yield f"{path}.{key}[{i}].image", {"value": q(image)}


_ENV_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")


def env_value_from(container: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(container, dict):
        return
    for i, env in _dicts(container.get("env")):
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
    for j, mount in _dicts(container.get("volumeMounts")):
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


def indexed_job_completions(spec: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(spec, dict) and spec.get("completionMode") == "Indexed" and spec.get("completions") is None:
        yield join(path, "completions"), {"detail": "Required value: when completion mode is Indexed"}


def hpa_scale_target(spec: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(spec, dict):
        return
    target = spec.get("scaleTargetRef")
    if not isinstance(target, dict):
        return
    for key in ("kind", "name"):
        if not target.get(key):
            yield join(path, f"scaleTargetRef.{key}"), {"detail": "Required value"}
    name = target.get("name")
    if isinstance(name, str) and name:
        for detail in formats.path_segment_name_errors(name):
            yield join(path, "scaleTargetRef.name"), {"detail": f"Invalid value: {q(name)}: {detail}"}
