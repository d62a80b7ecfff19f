"""Checks on HorizontalPodAutoscalers and PodDisruptionBudgets."""
from __future__ import annotations

from typing import Any

from .. import formats
from ..engine import Ctx, is_int, q
from .common import Found, join


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
            yield join(path, source_key), {
                "detail": "Required value: must populate information for the given metric source"}
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


def pdb_exclusive(spec: Any, path: str, ctx: Ctx) -> Found:
    if isinstance(spec, dict) and spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        yield path, {"detail": "Invalid value: ...: minAvailable and maxUnavailable cannot be both set"}


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
