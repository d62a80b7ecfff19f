"""Scheduling feasibility: does a pod template fit at least one node shape of its cluster profile?

What the scheduler's filters check, for a node that is empty (https://kubernetes.io/docs/concepts/
scheduling-eviction/ : NodeResourcesFit, NodeAffinity, TaintToleration):
- requests: per resource, the larger of the biggest init container (plus the sidecars started
  before it) and the sum of the app containers and sidecars (init containers with
  `restartPolicy: Always`), plus `spec.overhead`; a limit without a request counts as the request
  (API defaulting), https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
  and .../pods/sidecar-containers/#resource-sharing-within-containers;
- `nodeSelector` and required node affinity (terms ORed, expressions ANDed);
- NoSchedule and NoExecute taints must be tolerated. GKE runs the ExtendedResourceToleration
  admission plugin: a pod asking for `nvidia.com/gpu` gets a toleration for that taint key.

Labels are matched only for keys the provider (or an installed add-on) sets on nodes; any other key
(a node pool's own labels, zones, host names) may be on a node we do not model, so it never makes a
pod unschedulable here. Capacity left to other pods and daemons is not modelled: a pod that fails
here fails on an empty node too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..apiserver.formats import parse_quantity
from .inventory import Inventory
from .nodes import GiB, NodeShape, Taint
from .pods import PodTemplate, mapping

__all__ = ["Requests", "pod_requests", "Verdict", "feasibility", "AUTHORITATIVE_PREFIXES"]

GPU = "nvidia.com/gpu"
# Label keys whose presence and value on a node the inventory knows (provider- or add-on-managed).
AUTHORITATIVE_PREFIXES = ("nvidia.com/", "cloud.google.com/gke-accelerator", "cloud.google.com/gke-gpu",
                          "cloud.google.com/machine-family", "node.kubernetes.io/instance-type",
                          "beta.kubernetes.io/instance-type", "eks.amazonaws.com/instance-", "kubernetes.io/arch",
                          "kubernetes.io/os", "k8s.amazonaws.com/accelerator")


def _authoritative(key: str) -> bool:
    return key.startswith(AUTHORITATIVE_PREFIXES)


@dataclass(frozen=True)
class Requests:
    cpu_millis: float = 0
    memory: float = 0
    ephemeral: float = 0
    gpus: float = 0
    other: tuple[tuple[str, float], ...] = ()  # other extended resources


def _container_requests(container: dict) -> dict[str, float]:
    resources = mapping(container.get("resources"))
    limits, requests = mapping(resources.get("limits")), mapping(resources.get("requests"))
    out: dict[str, float] = {}
    for name in set(limits) | set(requests):
        value = parse_quantity(requests[name] if name in requests else limits[name])
        if value is not None and isinstance(name, str):
            out[name] = float(value)
    return out


def _add(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in set(a) | set(b)}


def _max(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in set(a) | set(b)}


def pod_requests(t: PodTemplate) -> Requests:
    """What the scheduler reserves for one pod of this template."""
    init_peak: dict[str, float] = {}
    sidecars: dict[str, float] = {}
    inits = t.spec.get("initContainers")
    for c in inits if isinstance(inits, list) else []:
        if not isinstance(c, dict):
            continue
        wanted = _container_requests(c)
        if c.get("restartPolicy") == "Always":  # a sidecar: runs beside everything started after it
            sidecars = _add(sidecars, wanted)
            init_peak = _max(init_peak, sidecars)
        else:
            init_peak = _max(init_peak, _add(wanted, sidecars))
    apps: dict[str, float] = dict(sidecars)
    main = t.spec.get("containers")
    for c in main if isinstance(main, list) else []:
        if isinstance(c, dict):
            apps = _add(apps, _container_requests(c))
    total = _max(init_peak, apps)
    overhead = {k: float(v) for k, v in ((k, parse_quantity(v)) for k, v in mapping(t.spec.get("overhead")).items())
                if v is not None}
    total = _add(total, overhead)
    known = {"cpu", "memory", "ephemeral-storage", GPU}
    return Requests(total.get("cpu", 0) * 1000, total.get("memory", 0), total.get("ephemeral-storage", 0),
                    total.get(GPU, 0), tuple(sorted((k, v) for k, v in total.items() if k not in known and v > 0)))


# ---- labels and taints -------------------------------------------------------------------------

def _match_expression(expr: Any, labels: dict[str, str]) -> bool:
    expr = mapping(expr)
    key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
    if not isinstance(key, str) or not _authoritative(key):
        return True  # a label we do not model: may be on some node
    present = key in labels
    value = labels.get(key)
    if op == "In":
        return present and value in values
    if op == "NotIn":
        return not present or value not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt"):
        try:
            number, bound = int(value or ""), int(values[0])
        except (ValueError, IndexError, TypeError):
            return False
        return number > bound if op == "Gt" else number < bound
    return True


def _selector_problem(t: PodTemplate, shape: NodeShape) -> str | None:
    labels = shape.label_map
    for key, value in mapping(t.spec.get("nodeSelector")).items():
        if isinstance(key, str) and _authoritative(key) and labels.get(key) != value:
            have = f"is {labels[key]!r}" if key in labels else "is not set"
            return f"nodeSelector {key}={value} (on {shape.name} the label {have})"
    affinity = mapping(mapping(mapping(t.spec.get("affinity")).get("nodeAffinity"))
                       .get("requiredDuringSchedulingIgnoredDuringExecution"))
    terms = affinity.get("nodeSelectorTerms")
    if isinstance(terms, list) and terms:
        for term in terms:
            term = mapping(term)
            expressions = term.get("matchExpressions") or []
            if all(_match_expression(e, labels) for e in expressions if isinstance(expressions, list)):
                return None
        first = mapping(terms[0])
        keys = ", ".join(str(mapping(e).get("key")) for e in first.get("matchExpressions") or [])
        return f"required node affinity ({keys}) matches no label of {shape.name}"
    return None


def _tolerates(tolerations: list, taint: Taint) -> bool:
    for tol in tolerations:
        tol = mapping(tol)
        key, op = tol.get("key"), tol.get("operator") or "Equal"
        effect = tol.get("effect")
        if effect and effect != taint.effect:
            continue
        if op == "Exists" and (not key or key == taint.key):
            return True
        if op == "Equal" and key == taint.key and (tol.get("value") or None) == taint.value:
            return True
    return False


def _taint_problem(t: PodTemplate, shape: NodeShape, requests: Requests, provider: str) -> str | None:
    tolerations = list(t.spec.get("tolerations") or []) if isinstance(t.spec.get("tolerations"), list) else []
    if provider == "gke" and requests.gpus:
        tolerations.append({"key": GPU, "operator": "Exists", "effect": "NoSchedule"})  # ExtendedResourceToleration
    for taint in shape.taints:
        if taint.effect in ("NoSchedule", "NoExecute") and not _tolerates(tolerations, taint):
            return f"taint {taint.describe()} of {shape.name} is not tolerated"
    return None


# ---- fit ---------------------------------------------------------------------------------------

def _size(value: float, unit: str) -> str:
    if unit == "cpu":
        return f"{value / 1000:g}" if value % 1000 == 0 else f"{value:.0f}m"
    if unit == "gpu":
        return f"{value:g}"
    return f"{value / GiB:.1f}Gi"


def _shortfalls(r: Requests, shape: NodeShape) -> list[tuple[str, float]]:
    """(description, how far over as a fraction) for each resource the shape lacks."""
    out = []
    for name, asked, have, unit in (("cpu", r.cpu_millis, shape.cpu_millis, "cpu"),
                                    ("memory", r.memory, shape.memory, "mem"),
                                    ("ephemeral-storage", r.ephemeral, shape.ephemeral, "mem"),
                                    (GPU, r.gpus, shape.gpus, "gpu")):
        if asked > have:
            out.append((f"{name}: asks {_size(asked, unit)}, {_size(max(have, 0), unit)} allocatable",
                        (asked - have) / max(asked, 1)))
    offered = dict(shape.extended)
    for name, asked in r.other:
        have = offered.get(name, 0)
        if asked > have:
            out.append((f"{name}: asks {asked:g}, the shape has {have or 'none'}", (asked - have) / max(asked, 1)))
    return out


@dataclass(frozen=True)
class Verdict:
    fits: bool
    message: str = ""  # why not, naming the nearest shape; or the waste warning
    waste: bool = False


def _gpu_labels(inventory: Inventory, shape: NodeShape) -> NodeShape:
    """With the GPU operator installed, GPU Feature Discovery labels every GPU node."""
    if not shape.gpus or not inventory.has("gpu-operator"):
        return shape
    labels = shape.label_map | {"nvidia.com/gpu.present": "true", "nvidia.com/gpu.count": str(shape.gpus),
                                "nvidia.com/gpu.product": (shape.gpu_model or "").replace(" ", "-")}
    return NodeShape(**{**shape.__dict__, "labels": tuple(sorted(labels.items()))})


def candidate_shapes(inventory: Inventory) -> list[NodeShape]:
    return [_gpu_labels(inventory, s) for s in inventory.nodes()]


def feasibility(t: PodTemplate, inventory: Inventory) -> Verdict | None:
    """None when there is nothing to decide (no shapes known, or the pod names its node)."""
    shapes = candidate_shapes(inventory)
    if not shapes or t.spec.get("nodeName"):
        return None
    r = pod_requests(t)
    placed: list[NodeShape] = []
    refused: list[tuple[int, float, NodeShape, str]] = []  # (rank, shortfall, shape, reason)
    for shape in shapes:
        reason = _selector_problem(t, shape)
        if reason:
            refused.append((3, 0.0, shape, reason))
            continue
        reason = _taint_problem(t, shape, r, inventory.provider)
        if reason:
            refused.append((2, 0.0, shape, reason))
            continue
        lacking = _shortfalls(r, shape)
        if lacking:
            refused.append((1, sum(f for _, f in lacking), shape, "; ".join(d for d, _ in lacking)))
        else:
            placed.append(shape)
    if placed:
        best = min(placed, key=lambda s: (s.gpus, s.memory, s.cpu_millis))
        return _waste(r, best) or Verdict(True)
    rank, _, nearest, reason = min(refused, key=lambda item: (item[0], item[1], item[2].memory))
    return Verdict(False, f"fits no node shape: nearest is {nearest.name} ({reason})")


def _waste(r: Requests, shape: NodeShape) -> Verdict | None:
    """A pod that fits only on GPU nodes, takes most of one, and leaves most of its GPUs idle."""
    if not shape.gpus or r.gpus * 2 > shape.gpus:
        return None
    takes_node = r.memory * 2 > shape.memory or r.cpu_millis * 2 > shape.cpu_millis
    if not takes_node:
        return None
    idle = shape.gpus - r.gpus
    return Verdict(True, f"fits only on {shape.name}, taking most of its cpu or memory while {idle:g} of its "
                         f"{shape.gpus} GPUs stay idle", waste=True)
