"""Flux kustomize-controller: `dependsOn` cycles and health checks that can never pass.

A Kustomization is applied only once every Kustomization in its `dependsOn` is Ready; with
`wait: true` it is Ready only once every object it applied is ready (kstatus), with
`healthChecks` once the listed objects are. There are no waves inside a Kustomization: Flux applies
CRDs and Namespaces first, then everything else in one server-side apply. Sources in docs/sync-plan.md.
"""
from __future__ import annotations

from typing import Iterator

from ..manifests.resource import Resource
from ..policy.api import as_map, items
from . import health
from .apps import flux_path, folder_of, in_folder
from .argocd import Problem

API_GROUP = "kustomize.toolkit.fluxcd.io"


def kustomizations(resources: list[Resource]) -> list[Resource]:
    return [r for r in resources if r.kind == "Kustomization" and r.group == API_GROUP]


def _key(res: Resource, entry: dict | None = None) -> tuple[str, str]:
    if entry is None:
        return (res.namespace, res.name)
    return (str(entry.get("namespace") or res.namespace), str(entry.get("name") or ""))


def cycles(ks: list[Resource]) -> Iterator[Problem]:
    """Each dependsOn cycle once, reported on its first member in name order."""
    by_key = {_key(k): k for k in ks}
    graph = {_key(k): [_key(k, d) for _, d in items(as_map(k.obj.get("spec")).get("dependsOn"))] for k in ks}
    seen: set[tuple] = set()
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for dep in graph.get(node, []):
                if dep == start:
                    cycle = tuple(path)
                    smallest = min(range(len(cycle)), key=lambda i: cycle[i])
                    canon = cycle[smallest:] + cycle[:smallest]
                    if canon not in seen:
                        seen.add(canon)
                        names = " -> ".join(n for _, n in canon + canon[:1])
                        yield Problem("flux-dependency-cycle", "error", by_key[canon[0]],
                                      f"Kustomization dependsOn cycle {names}: Flux applies each only after the "
                                      "others are Ready, so none of them is ever applied",
                                      by_key.get(canon[1 % len(canon)]), hint="remove one dependsOn of the cycle")
                elif dep not in path and dep in graph and len(path) < 64:
                    stack.append((dep, path + [dep]))


def never_ready(k: Resource, resources: list[Resource]) -> Iterator[Problem]:
    """Health checks of one Kustomization that can never pass."""
    spec = as_map(k.obj.get("spec"))
    path = flux_path(k)
    target_ns = str(spec.get("targetNamespace") or "")
    mine = [r for r in resources if path is not None and r.origin.file and in_folder(folder_of(r), path, True)
            and r is not k and not r.api_version.startswith("kustomize.config.k8s.io/")]
    classes = health.storage_classes(resources)
    checked: list[tuple[Resource, str]] = []
    if spec.get("wait") is True:
        checked += [(r, "spec.wait") for r in mine]
    for i, entry in items(spec.get("healthChecks")):
        kind, name = entry.get("kind"), entry.get("name")
        ns = str(entry.get("namespace") or target_ns)
        found = [r for r in resources if r.kind == kind and r.name == name and (r.namespace or target_ns) == ns]
        if not found:
            if mine:  # only judged when the Kustomization's own folder is in the set
                yield Problem("flux-health-never-passes", "error", k,
                              f"{k.ref()}: health check {kind}/{ns + '/' if ns else ''}{name} names an object no "
                              "manifest in the set creates: the Kustomization never becomes Ready",
                              hint=f"fix spec.healthChecks[{i}] or add the object")
            continue
        checked += [(r, f"spec.healthChecks[{i}]") for r in found]
    for res, why in checked:
        reason = health.never_healthy(res, {})
        if res.kind == "PersistentVolumeClaim":
            reason = _unbound(res, mine, classes)
        if reason:
            yield Problem("flux-health-never-passes", "error", k,
                          f"{k.ref()}: {res.ref()} never becomes ready ({reason}), so {why} never passes and the "
                          "Kustomization never becomes Ready", res)


def _unbound(claim: Resource, mine: list[Resource], classes: dict[str, str]) -> str | None:
    mode, class_name = health.binding_mode(claim, classes)
    if mode != health.WAIT_FOR_FIRST_CONSUMER:
        return None
    if any(claim.name in health.claim_names(w) for w in mine if w.kind in health.WORKLOADS + ("CronJob",)):
        return None
    return f"class {class_name} binds on first consumer and no pod of the Kustomization mounts it"


def problems(resources: list[Resource]) -> list[Problem]:
    ks = kustomizations(resources)
    out = list(cycles(ks))
    broken = {}
    for k in ks:
        found = list(never_ready(k, resources))
        out += found
        if found:
            broken[_key(k)] = k
    for k in ks:
        for _, dep in items(as_map(k.obj.get("spec")).get("dependsOn")):
            other = broken.get(_key(k, dep))
            if other is not None and other is not k:
                out.append(Problem("flux-health-never-passes", "error", k,
                                   f"{k.ref()} depends on {other.ref()}, which never becomes Ready: it is never "
                                   "applied", other))
    return out
