"""The contract between the policy engine and its rules.

A rule is a small module (see STYLE.md, yamllint) with these module-level names:

    ID = "resources-requests"            # kebab-case, unique; refused twice by the registry
    DESCRIPTION = "one line"             # shown by `gitops rules`
    SEVERITY = "error"                   # default; policies/ may change it per environment
    OPTIONS = {"min_cpu": None}          # option name -> default; unknown options are input errors
    SCOPE = "resource"                   # "resource": check(resource, ctx) per object
                                         # "set": check(ctx) once over all objects
    def check(resource, ctx) -> Iterator[Finding]   (or check(ctx) for SCOPE = "set")

and a docstring that is its documentation: what it checks, why, its options, and a failing and a
passing example (YAML blocks). Rules never decide their final severity: the engine sets it from
configuration (`ctx.severity`). Rules yield `Finding.about(resource, ID, ctx.severity, message,
path=..., hint=...)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..manifests.resource import Resource


@dataclass(frozen=True)
class Context:
    """What a rule sees besides the object: the whole set, the environment and its options."""

    resources: tuple[Resource, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"
    env: str | None = None
    production: bool = False
    kubernetes_version: str = "1.33"
    base: tuple[Resource, ...] | None = None  # the manifests at the base ref, when known (--base)

    def find(self, kind: str, name: str, namespace: str | None = None) -> Resource | None:
        for res in self.resources:
            if res.kind == kind and res.name == name and (namespace is None or res.namespace == namespace):
                return res
        return None

    def of_kind(self, *kinds: str) -> Iterator[Resource]:
        return (r for r in self.resources if r.kind in kinds)


WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")


def pod_spec(res: Resource) -> tuple[dict | None, str]:
    """The pod spec inside a workload and its JSON path, or (None, "") for other kinds."""
    obj = res.obj
    if res.kind == "Pod":
        spec = obj.get("spec")
        return (spec, "spec") if isinstance(spec, dict) else (None, "")
    if res.kind == "CronJob":
        spec = (((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec")
        return (spec, "spec.jobTemplate.spec.template.spec") if isinstance(spec, dict) else (None, "")
    if res.kind in WORKLOAD_KINDS:
        spec = ((obj.get("spec") or {}).get("template") or {}).get("spec")
        return (spec, "spec.template.spec") if isinstance(spec, dict) else (None, "")
    return None, ""


def containers(res: Resource, init: bool = True) -> Iterator[tuple[dict, str]]:
    """Each container of a workload with its JSON path (init containers too, unless init=False)."""
    spec, base = pod_spec(res)
    if spec is None:
        return
    for key in ("containers", "initContainers") if init else ("containers",):
        items = spec.get(key)
        if isinstance(items, list):
            for i, c in enumerate(items):
                if isinstance(c, dict):
                    yield c, f"{base}.{key}[{i}]"
