"""Which objects an annotation waiver on a workload reaches: the workload itself, and the objects
made for it, so that one `gitops.dev/waive.<id>` annotation on a Deployment also covers the
findings on its HorizontalPodAutoscaler, PodDisruptionBudget or Service.

An object belongs to a workload (in the same namespace) when it
- scales it: `spec.scaleTargetRef` (HPA, KEDA ScaledObject) or `spec.targetRef` (VPA) names it;
- selects its pods: a Service's `spec.selector`, a PodDisruptionBudget's `spec.selector`, a
  NetworkPolicy's `spec.podSelector` matches the workload's pod template labels;
- comes from the same app: both were generated for one app and environment (`Origin.app`/`env`,
  set for generated/<env>/<app>/).
The object's own annotation wins over one it inherits; a waiver used through a workload counts as
used on the workload (where it is written).
"""
from __future__ import annotations

from typing import Iterable

from ..manifests.resource import Resource
from .api import WORKLOAD_KINDS, pod_template_labels, selector_matches
from .waivers import annotation_waivers

Place = tuple[str, int, str]  # (file, document index, Kind/namespace/name): one object in a run

_SELECTORS = {"Service": ("spec", "selector"), "PodDisruptionBudget": ("spec", "selector"),
              "NetworkPolicy": ("spec", "podSelector")}
_TARGETS = (("spec", "scaleTargetRef"), ("spec", "targetRef"))


def place(res: Resource) -> Place:
    return (res.origin.file, res.origin.doc_index, res.ref())


def _at(obj: dict, path: tuple[str, ...]) -> object:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None  # type: ignore[assignment]
    return obj


def _owners(res: Resource, workloads: list[tuple[Resource, dict]]) -> Iterable[Resource]:
    """The workloads (with waiver annotations) that `res` was made for."""
    for workload, labels in workloads:
        if workload is res:
            continue
        if res.origin.app and res.origin.app == workload.origin.app and res.origin.env == workload.origin.env:
            yield workload
            continue
        if res.namespace != workload.namespace:
            continue
        target = next((t for t in (_at(res.obj, p) for p in _TARGETS) if isinstance(t, dict)), None)
        if target is not None and target.get("kind") == workload.kind and target.get("name") == workload.name:
            yield workload
        elif res.kind in _SELECTORS and labels and selector_matches(_at(res.obj, _SELECTORS[res.kind]), labels):
            yield workload


def needed(res: Resource) -> bool:
    """Whether waivers need this object kept for the end of a run: it carries a waiver annotation,
    or it can inherit one (it scales or selects a workload). The rest inherit through their app."""
    return bool(annotation_waivers(res.metadata.get("annotations"))) or res.kind in _SELECTORS or \
        any(isinstance(_at(res.obj, p), dict) for p in _TARGETS)


Waivers = dict[str, tuple[str, Place]]  # id -> (reason, the object whose annotation it is)


class Reach:
    """Annotation waivers by object, own and inherited: `waivers(place)` -> {id: (reason, carrier)}."""

    def __init__(self) -> None:
        self._objects: dict[Place, Resource] = {}
        self._resolved: dict[Place, Waivers] | None = None
        self._by_app: dict[tuple[str, str | None], Waivers] = {}

    def add(self, resources: Iterable[Resource]) -> None:
        for res in resources:
            if isinstance(res.obj, dict):
                self._objects.setdefault(place(res), res)
        self._resolved = None

    def objects(self) -> Iterable[Resource]:
        return self._objects.values()

    def waivers(self, where: Place, app: str | None = None, env: str | None = None) -> Waivers:
        """The waivers of the object at `where`; for an object this run did not keep (`gitops
        validate` keeps only what `needed` says), those of its app's workloads."""
        if self._resolved is None:
            self._resolved = self._resolve()
        if where in self._objects:
            return self._resolved.get(where, {})
        return self._by_app.get((app, env), {}) if app else {}

    def _resolve(self) -> dict[Place, Waivers]:
        own = {p: annotation_waivers(r.metadata.get("annotations")) for p, r in self._objects.items()}
        out = {p: {rule: (reason, p) for rule, reason in w.items()} for p, w in own.items() if w}
        workloads = [(r, pod_template_labels(r)) for p, r in self._objects.items() if own.get(p)
                     and (r.kind in WORKLOAD_KINDS or r.kind == "Pod" or pod_template_labels(r))]
        self._by_app = {}
        for workload, _ in workloads:
            if workload.origin.app:
                carrier = place(workload)
                for rule, reason in own[carrier].items():
                    self._by_app.setdefault((workload.origin.app, workload.origin.env), {}).setdefault(
                        rule, (reason, carrier))
        if not workloads:
            return out
        for p, res in self._objects.items():
            for workload in _owners(res, workloads):
                carrier = place(workload)
                for rule, reason in own[carrier].items():
                    out.setdefault(p, {}).setdefault(rule, (reason, carrier))
        return out
