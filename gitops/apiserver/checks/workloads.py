"""Checks on the controllers around a pod template: selectors, rollouts, Jobs and CronJobs."""
from __future__ import annotations

from typing import Any

from ... import cron
from .. import formats
from ..engine import Ctx, is_int, q
from .common import Found, dicts, join


def _selector_matches(selector: dict, labels: dict) -> bool:
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, dict):
        return True
    for key, value in match_labels.items():
        if labels.get(key) != value:
            return False
    for _, expr in dicts(selector.get("matchExpressions")):
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if not isinstance(values, list) or not isinstance(key, str):
            return True  # malformed: the schema check or the selector rule reports it
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
    """Expression keys are label keys and values label values; operators and their values agree."""
    if not isinstance(selector, dict):
        return
    for i, expr in dicts(selector.get("matchExpressions")):
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values")
        where = f"{path}.matchExpressions[{i}]"
        if isinstance(key, str):
            for detail in formats.qualified_name_errors(key):
                yield f"{where}.key", {"detail": f"Invalid value: {q(key)}: {detail}"}
        if isinstance(values, list):
            for j, value in enumerate(values):
                if isinstance(value, str):
                    for detail in formats.label_value_errors(value):
                        yield f"{where}.values[{j}]", {"detail": f"Invalid value: {q(value)}: {detail}"}
        if not isinstance(op, str):
            continue
        if op in ("In", "NotIn"):
            if not values:
                yield f"{where}.values", {
                    "detail": "Required value: must be specified when `operator` is 'In' or 'NotIn'"}
        elif op in ("Exists", "DoesNotExist"):
            if values:
                yield f"{where}.values", {
                    "detail": "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"}
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


def indexed_job_completions(spec: Any, path: str, ctx: Ctx) -> Found:
    """Indexed needs completions; with parallelism unset too, both are defaulted to 1."""
    if (isinstance(spec, dict) and spec.get("completionMode") == "Indexed" and spec.get("completions") is None
            and spec.get("parallelism") is not None):
        yield join(path, "completions"), {"detail": "Required value: when completion mode is Indexed"}
