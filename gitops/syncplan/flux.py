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
    """One problem per group of Kustomizations that wait on each other (a strongly connected part
    of the dependsOn graph), naming its shortest cycle through the first member in name order.
    Linear in the size of the graph, whatever the input."""
    by_key = {_key(k): k for k in ks}
    graph = {key: sorted({_key(k, d) for _, d in items(as_map(k.obj.get("spec")).get("dependsOn"))} & by_key.keys())
             for key, k in by_key.items()}
    for group in _strongly_connected(graph):
        start = min(group)
        if len(group) == 1 and start not in graph[start]:
            continue
        cycle = _shortest_cycle(graph, start, group)
        names = " -> ".join(n for _, n in cycle + [start])
        yield Problem("flux-dependency-cycle", by_key[start],
                      f"Kustomization dependsOn cycle {names}: Flux applies each only after the others are "
                      "Ready, so none of them is ever applied",
                      by_key.get(cycle[1 % len(cycle)]), hint="remove one dependsOn of the cycle")


def _strongly_connected(graph: dict) -> list[set]:
    """Tarjan's algorithm without recursion."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    groups: list[set] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _shortest_cycle(graph: dict, start, group: set) -> list:
    """The nodes of a shortest cycle from `start` back to it, inside `group` (breadth first)."""
    parent = {start: None}
    queue = [start]
    for node in queue:
        for child in graph[node]:
            if child == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return list(reversed(path))
            if child in group and child not in parent:
                parent[child] = node
                queue.append(child)
    return [start]


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
                yield Problem("flux-health-never-passes", k,
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
            yield Problem("flux-health-never-passes", k,
                          f"{k.ref()}: {res.ref()} never becomes ready ({reason}), so {why} never passes and the "
                          "Kustomization never becomes Ready", res)


def _unbound(claim: Resource, mine: list[Resource], classes: dict[str, str]) -> str | None:
    mode, class_name = health.binding_mode(claim, classes)
    if mode != health.WAIT_FOR_FIRST_CONSUMER:
        return None
    if any(claim.name in health.claim_names(w) for w in mine if w.kind in health.CONSUMERS):
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
                out.append(Problem("flux-health-never-passes", k,
                                   f"{k.ref()} depends on {other.ref()}, which never becomes Ready: it is never "
                                   "applied", other))
    return out
