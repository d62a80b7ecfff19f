"""Fix hints in the spec's terms: a finding on generated output says which field of which spec line
to set, and the waiver to write when the exception is meant (issue 17 item 4).

    set `replicas=2` in apps/web_api.py:14, or waive it in policies/waivers.yaml:
    - {rule: min-replicas, match: {app: web-api, env: prod}, reason: ..., owner: ..., expires: 2027-02-28}

The line is that of the field's keyword in the app's call (or in its `environments` override for
the finding's environment) when the spec writes it, else the line of the call itself (the one
spec errors name). A rule without a spec field of its own says "change the app".
"""
from __future__ import annotations

import ast
import datetime as dt
import functools
import os
from dataclasses import replace
from typing import Iterable

from ..findings import Finding

# rule id -> (the spec field that fixes it, how to write it)
SPEC_FIELDS: dict[str, tuple[str, str]] = {
    "min-replicas": ("replicas", "replicas=2"),
    "pod-disruption-budget": ("replicas", "replicas=2"),
    "pdb-allows-eviction": ("replicas", "replicas=2"),
    "pod-spread": ("replicas", "replicas=2"),
    "hpa-min-replicas": ("autoscaling", "autoscaling=Autoscaling(min_replicas=2, max_replicas=...)"),
    "hpa-bounds": ("autoscaling", "autoscaling=Autoscaling(min_replicas=..., max_replicas=...)"),
    "liveness-probe": ("liveness", 'liveness=Probe.http("/healthz")'),
    "readiness-probe": ("readiness", 'readiness=Probe.http("/ready")'),
    "probes-differ": ("liveness", 'liveness=Probe.http("/healthz")'),
    "probe-ports": ("ports", 'ports=[Port(name="http", port=...)]'),
    "cpu-requests": ("resources", 'resources=Resources(cpu="...", memory="...")'),
    "memory-requests": ("resources", 'resources=Resources(cpu="...", memory="...")'),
    "memory-limit": ("resources", 'resources=Resources(..., memory_limit="...")'),
    "cpu-limit": ("resources", 'resources=Resources(..., cpu_limit="...")'),
    "limits-not-below-requests": ("resources", "resources=Resources(...) with limits at or above the requests"),
    "image-tag": ("image", 'image="registry.example.com/app:1.2.3"'),
    "image-digest": ("image", 'image="registry.example.com/app@sha256:..."'),
    "allowed-registries": ("image", "image= an image from an allowed registry"),
    "required-labels": ("labels", 'labels={"<label>": "..."}'),
    "progress-deadline": ("progress_deadline_seconds", "progress_deadline_seconds=600"),
    "rolling-update-capacity": ("max_unavailable", "max_unavailable=0, max_surge=1"),
    "service-account-token": ("mount_service_account_token", "mount_service_account_token=False"),
    "default-service-account": ("service_account", "service_account=True"),
    "run-as-non-root": ("run_as_user", "run_as_user=10001"),
    "high-user-id": ("run_as_user", "run_as_user=10001"),
    "service-exposed": ("service", 'service="ClusterIP"'),
    "scheduling-no-fit": ("resources", "resources=Resources(...) that a node shape of the profile fits"),
    "scheduling-gpu-waste": ("resources", "resources=Resources(...) with the GPUs of a whole node"),
}


@functools.lru_cache(maxsize=256)
def _tree(path: str, mtime: float) -> ast.Module | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return ast.parse(fh.read(), path)
    except (OSError, SyntaxError, ValueError):
        return None


def _call_at(tree: ast.Module, line: int) -> ast.Call | None:
    """The outermost call that spans `line` (the app's constructor call)."""
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or node.lineno):
            if best is None or node.lineno < best.lineno or (node.end_lineno or 0) > (best.end_lineno or 0):
                best = node
    return best


def _key_line(mapping: ast.expr, key: str) -> ast.expr | None:
    if isinstance(mapping, ast.Dict):
        for k, v in zip(mapping.keys, mapping.values):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    if isinstance(mapping, ast.Call):
        for kw in mapping.keywords:
            if kw.arg == key:
                return kw.value
    return None


def field_line(path: str, line: int, field: str, env: str | None) -> int:
    """The line where the app's call at `line` writes `field` (its `environments[env]` override
    first), else `line`."""
    try:
        tree = _tree(path, os.stat(path).st_mtime)
    except OSError:
        return line
    call = _call_at(tree, line) if tree is not None else None
    if call is None:
        return line
    keywords = {kw.arg: kw for kw in call.keywords if kw.arg}
    if env and "environments" in keywords:
        override = _key_line(keywords["environments"].value, env)
        value = _key_line(override, field) if override is not None else None
        if value is not None:
            return value.lineno
    return keywords[field].lineno if field in keywords else line


def waiver_entry(f: Finding, today: dt.date | None = None) -> str:
    """A policies/waivers.yaml entry that waives this finding, expiring in 90 days."""
    expires = (today or dt.date.today()) + dt.timedelta(days=90)
    match = ", ".join(f"{k}: {v}" for k, v in (("app", f.origin.app), ("env", f.origin.env)) if v)
    return (f"- {{rule: {f.rule}, match: {{{match}}}, reason: ..., owner: ..., "
            f"expires: {expires.isoformat()}}}")


def spec_hint(f: Finding, root: str, waivable: bool) -> Finding:
    """The finding with a hint in the spec's terms, when it is an active finding on generated output."""
    if f.waived or not f.origin.spec_file or not f.origin.spec_line:
        return f
    spec, line = f.origin.spec_file, f.origin.spec_line
    fix = SPEC_FIELDS.get(f.rule)
    if fix is not None:
        at = field_line(os.path.join(root, spec), line, fix[0], f.origin.env)
        said = f"set `{fix[1]}` in {spec}:{at}"
    else:
        said = f"change app {f.origin.app} in {spec}:{line}"
    if waivable:
        said += f", or waive it in policies/waivers.yaml: `{waiver_entry(f)}`"
    hint = f"{f.hint.rstrip('.')}: {said}" if f.hint else said
    return replace(f, hint=hint)


def with_spec_hints(findings: Iterable[Finding], root: str, waivable) -> list[Finding]:
    return [spec_hint(f, root, waivable(f.rule)) for f in findings]
