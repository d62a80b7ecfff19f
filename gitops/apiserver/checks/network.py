"""Checks on Services, Ingresses and NetworkPolicies."""
from __future__ import annotations

import ipaddress
from typing import Any

from .. import formats
from ..engine import Ctx, is_int, q
from .common import Found, dicts, join


def service_ports(spec: Any, path: str, ctx: Ctx) -> Found:
    """Port names: required when there are several, unique; (port, protocol) pairs unique."""
    if not isinstance(spec, dict):
        return
    ports = [(i, p) for i, p in dicts(spec.get("ports"))]
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
        for i, port in dicts(spec.get("ports")):
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
    reachable = (service_type in ("NodePort", "LoadBalancer")
                 or (service_type == "ClusterIP" and bool(spec.get("externalIPs"))))
    if policy not in (None, "") and not reachable:
        yield join(path, "externalTrafficPolicy"), {
            "detail": f"Invalid value: {q(policy)}: may only be set for externally-accessible services"}


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


def network_policy_port(port: Any, path: str, ctx: Ctx) -> Found:
    if not isinstance(port, dict):
        return
    number, end = port.get("port"), port.get("endPort")
    if end is None:
        return
    if not is_int(number):
        yield join(path, "endPort"), {
            "detail": f"Invalid value: {q(end)}: may not be specified when `port` is non-numeric"}
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
        yield join(path, "cidr"), {
            "detail": f"Invalid value: {q(cidr)}: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"}
        return
    excepts = block.get("except")
    for i, item in enumerate(excepts if isinstance(excepts, list) else ()):
        if not isinstance(item, str):
            continue
        try:
            excluded = ipaddress.ip_network(item, strict=False)
        except ValueError:
            yield f"{join(path, 'except')}[{i}]", {
                "detail": f"Invalid value: {q(item)}: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"}
            continue
        inside = excluded.version == network.version and excluded.subnet_of(network)  # type: ignore[arg-type]
        if not inside or excluded == network:
            yield f"{join(path, 'except')}[{i}]", {
                "detail": f"Invalid value: {q(item)}: must be a strict subset of `cidr`"}


_IP_EXAMPLE = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
_CIDR_EXAMPLE = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def service_addresses(spec: Any, path: str, ctx: Ctx) -> Found:
    """clusterIP is empty, None or an IP; externalIPs are IPs; loadBalancerSourceRanges are CIDRs."""
    if not isinstance(spec, dict):
        return
    cluster_ip = spec.get("clusterIP")
    if isinstance(cluster_ip, str) and cluster_ip not in ("", "None") and not _is_ip(cluster_ip):
        yield join(path, "clusterIP"), {"detail": f"Invalid value: {q(cluster_ip)}: {_IP_EXAMPLE}"}
    for key, valid, example in (("externalIPs", _is_ip, _IP_EXAMPLE),
                                ("loadBalancerSourceRanges", _is_cidr, _CIDR_EXAMPLE)):
        items = spec.get(key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, str) and not valid(item.strip() if key == "loadBalancerSourceRanges" else item):
                yield f"{join(path, key)}[{i}]", {"detail": f"Invalid value: {q(item)}: {example}"}


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_cidr(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return "/" in text


def network_policy_peer(peer: Any, path: str, ctx: Ctx) -> Found:
    """A peer is a pod and/or namespace selector, or an ipBlock alone."""
    if not isinstance(peer, dict):
        return
    present = [k for k in ("podSelector", "namespaceSelector", "ipBlock") if peer.get(k) is not None]
    if not present:
        yield path, {"detail": "Required value: must specify a peer"}
    elif len(present) > 1 and "ipBlock" in present:
        yield path, {"detail": "Forbidden: may not specify both ipBlock and another peer"}
