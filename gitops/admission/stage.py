"""Checks of a manifest set against the cluster it deploys to: Pod Security admission, references
to what the cluster must have, HPA metric sources, and scheduling feasibility.

They need the whole set (a Namespace's labels decide its pods' level; a StorageClass may be in the
set) and the environment's cluster profile, so they run once per set, after the per-resource
checks: `gitops check` per environment, `gitops validate` once over every file it read.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from ..apiserver import path_parts
from ..apiserver.formats import parse_quantity
from ..catalog.builtin import stamp
from ..findings import Finding, Found
from ..manifests.resource import Resource
from . import podsecurity
from .inventory import Inventory
from .pods import POD_KINDS, PodTemplate, mapping, pod_template
from .scheduling import feasibility

__all__ = ["check_set", "RULE_IDS", "relevant"]

# The finding ids these checks emit; their catalog entries are in gitops/catalog/builtin.py.
RULE_IDS = ("pod-security", "cluster-reference", "hpa-metrics-source", "scheduling-no-fit", "scheduling-gpu-waste")

Locate = Callable[[Any, Sequence[Any]], "int | None"]


ENFORCE = "pod-security.kubernetes.io/enforce"
ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version"
# Kinds these checks read; `validate` keeps only these from each file for the set-wide pass.
_REFERENCE_KINDS = frozenset({"Namespace", "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "Ingress", "IngressClass",
                              "Gateway", "GatewayClass", "PriorityClass", "RuntimeClass", "CustomResourceDefinition",
                              "HorizontalPodAutoscaler", "APIService", "ScaledObject"})
# API groups the API server serves itself: kinds in them need no CRD.
_BUILTIN_GROUPS = frozenset({"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
                             "storage.k8s.io", "scheduling.k8s.io", "node.k8s.io", "coordination.k8s.io",
                             "discovery.k8s.io", "events.k8s.io", "admissionregistration.k8s.io",
                             "apiextensions.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io",
                             "flowcontrol.apiserver.k8s.io", "resource.k8s.io", "authentication.k8s.io",
                             "authorization.k8s.io", "internal.apiserver.k8s.io", "storagemigration.k8s.io",
                             "extensions", "metrics.k8s.io"})


def relevant(res: Resource) -> bool:
    """Whether the set-wide checks need this resource (everything else can be dropped after validation)."""
    kind = res.kind
    return kind in POD_KINDS or kind in _REFERENCE_KINDS or res.group not in _BUILTIN_GROUPS


@dataclass(frozen=True)
class Cluster:
    """What the checks know about the target: its profile's name and inventory, and its version."""

    profile: str
    inventory: Inventory
    version: tuple[int, int]


def _finding(res: Resource, rule: str, message: str, path: str, hint: str, locate: Locate | None) -> Finding:
    line = None
    if locate is not None and res.origin.file:
        try:
            line = locate(res.origin, path_parts(path))
        except Exception:  # noqa: BLE001 - a line number is a nicety
            line = None
    return stamp(Found(res, message, path=path, hint=f"{hint} (see docs/admission.md)", line=line), rule)


def check_set(resources: Iterable[Resource], profile: str, inventory: Inventory, kubernetes_version: str,
              locate: Locate | None = None) -> list[Finding]:
    """Every finding of the set-wide cluster checks for one manifest set deployed to one cluster."""
    from ..apiserver.engine import parse_version

    items = [r for r in resources if isinstance(r.obj, dict)]
    cluster = Cluster(profile, inventory, parse_version(kubernetes_version))
    out: list[Finding] = []
    for check in (_pod_security, _references, _hpa_metrics, _scheduling):
        try:
            out += check(items, cluster, locate)
        except Exception:  # noqa: BLE001 - hostile input must never stop the gate
            continue
    return out


# ---- Pod Security admission ----------------------------------------------------------------------

def _version_text(version: tuple[int, int]) -> str:
    return f"v{version[0]}.{version[1]}"


def _namespace_policy(labels: dict, cluster: Cluster) -> tuple[str, tuple[int, int], str]:
    """(level, standards version, where it comes from), as PolicyToEvaluate resolves it."""
    level, version_text = cluster.inventory.pod_security, cluster.inventory.pod_security_version
    source = f"profile {cluster.profile!r} default"
    if ENFORCE in labels:
        level = labels[ENFORCE] if labels[ENFORCE] in podsecurity.LEVELS else podsecurity.RESTRICTED
        source = f"label {ENFORCE}={labels[ENFORCE]}"
    if ENFORCE_VERSION in labels:
        version_text = labels[ENFORCE_VERSION]
    version = cluster.version
    if isinstance(version_text, str) and version_text.startswith("v1."):
        try:
            version = min((1, int(version_text[3:])), cluster.version)  # a newer label means the server's own
        except ValueError:
            pass
    return level, version, source


def _pod_security(items: list[Resource], cluster: Cluster, locate: Locate | None) -> list[Finding]:
    namespaces = {r.name: mapping(r.metadata.get("labels")) for r in items if r.kind == "Namespace" and r.name}
    out = []
    for res in items:
        template = pod_template(res)
        if template is None:
            continue
        namespace = res.namespace or "default"
        if namespace in cluster.inventory.exempt_namespaces:
            continue
        if template.spec.get("runtimeClassName") in cluster.inventory.exempt_runtime_classes:
            continue
        level, version, source = _namespace_policy(namespaces.get(namespace, {}), cluster)
        violations = podsecurity.evaluate(template, level, version)
        if not violations:
            continue
        label = f"{level}:{'latest' if version == cluster.version else _version_text(version)}"
        for v in violations:
            prefix = (f'pods "{res.name}" would be forbidden' if template.is_pod else
                      f"the {res.kind} is admitted but every Pod it creates is refused")
            out.append(_finding(res, "pod-security", f'{prefix}: violates PodSecurity "{label}" (namespace '
                                f'{namespace!r}, {source}): {v.reason}: {v.detail}', v.path,
                                f"meet the {level} Pod Security Standard, or run it in a namespace with a lower "
                                f"{ENFORCE} level", locate))
    return out


# ---- references to what the cluster has ----------------------------------------------------------

def _claim_specs(res: Resource) -> list[tuple[dict, str]]:
    obj = res.obj
    spec = mapping(obj.get("spec"))
    if res.kind == "PersistentVolumeClaim":
        return [(spec, "spec")]
    out = []
    if res.kind == "StatefulSet":
        templates = spec.get("volumeClaimTemplates")
        for i, item in enumerate(templates if isinstance(templates, list) else []):
            out.append((mapping(mapping(item).get("spec")), f"spec.volumeClaimTemplates[{i}].spec"))
    template = pod_template(res)
    if template is not None:
        volumes = template.spec.get("volumes")
        for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
            claim = mapping(mapping(mapping(volume).get("ephemeral")).get("volumeClaimTemplate")).get("spec")
            if isinstance(claim, dict):
                out.append((claim, f"{template.spec_path}.volumes[{i}].ephemeral.volumeClaimTemplate.spec"))
    return out


def _binds(volume: dict, claim: dict) -> bool:
    """Whether a pre-made volume could bind this claim: its access modes and size cover the claim's."""
    modes, offered = claim.get("accessModes"), volume.get("accessModes")
    if isinstance(modes, list) and any(m not in (offered if isinstance(offered, list) else []) for m in modes):
        return False
    asked = parse_quantity(mapping(mapping(claim.get("resources")).get("requests")).get("storage") or 0)
    size = parse_quantity(mapping(volume.get("capacity")).get("storage") or 0)
    return asked is None or size is None or size >= asked


def _references(items: list[Resource], cluster: Cluster, locate: Locate | None) -> list[Finding]:
    inv = cluster.inventory
    defined: dict[str, set[str]] = {}
    for r in items:
        defined.setdefault(r.kind, set()).add(r.name)
    crd_kinds = set()
    for r in items:
        if r.kind == "CustomResourceDefinition":
            spec = mapping(r.obj.get("spec"))
            crd_kinds.add((spec.get("group"), mapping(spec.get("names")).get("kind")))
    where = f"profile {cluster.profile!r}"
    out = []

    def missing(res: Resource, what: str, name: str, path: str, inventory_names: Any, kind: str) -> None:
        if inventory_names is None or name in defined.get(kind, set()) or name in inventory_names:
            return
        known = ", ".join(sorted(inventory_names)) or "none"
        out.append(_finding(res, "cluster-reference", f"{what} {name!r} is neither in the set nor in the inventory of "
                            f"{where} (it has: {known})", path,
                            f"add the {kind} to the set, declare it under clusters.{cluster.profile}.inventory in "
                            "gitops.yaml, or use one the cluster has", locate))

    storage_names = None if inv.storage_classes is None else {s.name for s in inv.storage_classes}
    set_default = any(mapping(mapping(r.metadata).get("annotations")).get(
        "storageclass.kubernetes.io/is-default-class") == "true" for r in items if r.kind == "StorageClass")
    # A claim with no class binds a pre-made volume with no class: fine when the set makes one that fits.
    static_volumes = [mapping(r.obj.get("spec")) for r in items if r.kind == "PersistentVolume"
                      and not mapping(r.obj.get("spec")).get("storageClassName")]
    for res in items:
        for spec, path in _claim_specs(res):
            name = spec.get("storageClassName")
            if isinstance(name, str) and name:
                missing(res, "storageClassName", name, f"{path}.storageClassName", storage_names, "StorageClass")
            elif name is None and storage_names is not None and inv.default_storage_class() is None \
                    and not set_default and not any(_binds(v, spec) for v in static_volumes) and not spec.get("volumeName") \
                    and not spec.get("selector"):
                out.append(_finding(res, "cluster-reference", f"the claim names no storageClassName and {where} has "
                                    "no default StorageClass: it stays Pending", f"{path}.storageClassName",
                                    "name a storage class the cluster has", locate))
        if res.kind == "Ingress":
            spec = mapping(res.obj.get("spec"))
            name = spec.get("ingressClassName")
            path = "spec.ingressClassName"
            if not isinstance(name, str):
                name = mapping(res.metadata.get("annotations")).get("kubernetes.io/ingress.class")
                path = 'metadata.annotations["kubernetes.io/ingress.class"]'
            if isinstance(name, str) and name:
                missing(res, "ingress class", name, path, inv.ingress_classes, "IngressClass")
        if res.kind == "Gateway":
            name = mapping(res.obj.get("spec")).get("gatewayClassName")
            if isinstance(name, str):
                missing(res, "gatewayClassName", name, "spec.gatewayClassName", inv.gateway_classes, "GatewayClass")
        template = pod_template(res)
        if template is not None:
            for field, kind, names in (("priorityClassName", "PriorityClass", inv.priority_classes),
                                       ("runtimeClassName", "RuntimeClass", inv.runtime_classes)):
                name = template.spec.get(field)
                if isinstance(name, str) and name:
                    missing(res, field, name, f"{template.spec_path}.{field}", names, kind)
        group = res.group
        if group not in _BUILTIN_GROUPS and inv.crd_groups is not None and "." in group:
            if (group, res.kind) not in crd_kinds and not inv.has_crd_group(group) \
                    and f"{res.kind}.{group}" not in inv.crd_groups:
                out.append(_finding(res, "cluster-reference", f"{res.api_version} {res.kind} needs a "
                                    f"CustomResourceDefinition that is neither in the set nor installed in {where}",
                                    "kind", f"add the CRD to the set, or list {group} under clusters."
                                    f"{cluster.profile}.inventory.crds in gitops.yaml", locate))
    return out


# ---- HPA metric sources ------------------------------------------------------------------------------

_ADAPTER_APIS = ("v1beta1.custom.metrics.k8s.io", "v1beta1.external.metrics.k8s.io", "v1beta2.custom.metrics.k8s.io")


def _hpa_metrics(items: list[Resource], cluster: Cluster, locate: Locate | None) -> list[Finding]:
    inv = cluster.inventory
    if inv.provider == "generic":
        return []  # nothing known about what the cluster runs
    api_services = {r.name for r in items if r.kind == "APIService"}
    scaled = any(r.kind == "ScaledObject" for r in items)
    has_resource = inv.has("metrics-server") or "v1beta1.metrics.k8s.io" in api_services
    has_custom = inv.has("metrics-adapter") or any(a in api_services for a in _ADAPTER_APIS[::2])
    has_external = inv.has("metrics-adapter") or inv.has("keda") or scaled or _ADAPTER_APIS[1] in api_services
    out = []
    for res in items:
        if res.kind != "HorizontalPodAutoscaler" or not res.api_version.startswith("autoscaling/v2"):
            continue
        metrics = mapping(res.obj.get("spec")).get("metrics")
        for i, metric in enumerate(metrics if isinstance(metrics, list) else []):
            kind = mapping(metric).get("type")
            need = {"Resource": (has_resource, "metrics-server"), "ContainerResource": (has_resource, "metrics-server"),
                    "Pods": (has_custom, "metrics-adapter (a custom metrics API)"),
                    "Object": (has_custom, "metrics-adapter (a custom metrics API)"),
                    "External": (has_external, "metrics-adapter or keda (an external metrics API)")}.get(str(kind))
            if need is None or need[0]:
                continue
            out.append(_finding(res, "hpa-metrics-source", f"{kind} metric has no source: profile "
                                f"{cluster.profile!r} has no add-on {need[1]} and the set has no APIService serving it, "
                                "so the HPA stays at its minimum", f"spec.metrics[{i}]",
                                f"install {need[1]} and declare it under clusters.{cluster.profile}.inventory.addons, "
                                "or scale on a metric the cluster serves", locate))
    return out


# ---- scheduling ------------------------------------------------------------------------------------------

def _scheduling(items: list[Resource], cluster: Cluster, locate: Locate | None) -> list[Finding]:
    out = []
    for res in items:
        template = pod_template(res)
        if template is None:
            continue
        verdict = feasibility(template, cluster.inventory)
        if verdict is None or (verdict.fits and not verdict.waste):
            continue
        pools = cluster.inventory.pools
        scope = (f"the pools of profile {cluster.profile!r} ({', '.join(p.shape for p in pools)})" if pools is not None
                 else f"profile {cluster.profile!r}")
        if verdict.waste:
            out.append(_finding(res, "scheduling-gpu-waste", f"{_who(template)} {verdict.message} ({scope})",
                                template.spec_path, "ask for the GPUs the node has, or add a pool of smaller "
                                "GPU nodes", locate))
        else:
            out.append(_finding(res, "scheduling-no-fit", f"{_who(template)} stays Pending: it {verdict.message} of "
                                f"{scope}", template.spec_path, "lower the requests, fix the selector, or add a "
                                "node pool that fits", locate))
    return out


def _who(template: PodTemplate) -> str:
    return "the pod" if template.is_pod else f"every pod of the {template.kind}"
