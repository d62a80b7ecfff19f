"""Sync simulation: replay how Argo CD and Flux would deliver a manifest set, and find syncs that
can never finish (`gitops sync-plan`, and a stage of `gitops check`). See docs/sync-plan.md."""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog.builtin import stamp
from ..findings import Finding, Found
from ..manifests.resource import Resource
from . import argocd, flux, health
from .apps import argo_units
from .argocd import Plan, Problem

__all__ = ["Simulation", "findings", "simulate", "text"]


@dataclass(frozen=True)
class Simulation:
    plans: tuple[Plan, ...]
    flux: tuple[Problem, ...]

    def problems(self) -> list[Problem]:
        return [p for plan in self.plans for p in plan.problems] + list(self.flux)


def simulate(resources: list[Resource], classes: dict[str, str] | None = None) -> Simulation:
    """Every Application (or plain folder) of the set replayed, and the Flux checks."""
    mounts = _mounts(resources)
    plans = []
    for unit in argo_units(resources):
        mine = {id(r) for r in unit.resources}
        elsewhere = frozenset(key for key, users in mounts.items() if any(id(w) not in mine for w in users))
        plans.append(argocd.plan(unit.name, unit.folder, unit.policy, list(unit.resources), unit.namespace, classes,
                                 elsewhere))
    return Simulation(tuple(plans), tuple(flux.problems(resources)))


def _mounts(resources: list[Resource]) -> dict[tuple[str, str], list[Resource]]:
    """(namespace, claim) -> the workloads of the whole set that mount it."""
    out: dict[tuple[str, str], list[Resource]] = {}
    for res in resources:
        if res.kind in health.CONSUMERS:
            for name in health.claim_names(res):
                out.setdefault((res.namespace, name), []).append(res)
    return out


def findings(sim: Simulation) -> list[Finding]:
    out = []
    for p in sim.problems():
        # The catalog's severity; the simulation says only how sure it is (a storage class it cannot
        # see makes a deadlock unsure, an info).
        out.append(stamp(Found(p.res, p.message, hint=p.hint, unsure=p.unsure), p.rule))
    return out


def _step_line(n: int, step: argocd.Step, last: bool) -> str:
    hooks = any(t.hook for t in step.tasks)
    if step.awaited:
        then = "then waits until every object is healthy"
    elif hooks:
        then = "then waits for its hooks to finish; the sync ends"
    else:
        then = "the sync ends once they are applied" if last else "nothing is waited for"
    return f"  {n}. {step.phase} wave {step.wave}: applies {len(step.tasks)} object(s), {then}"


def text(sim: Simulation) -> str:
    lines: list[str] = []
    for plan in sim.plans:
        lines.append(f"{plan.name} ({plan.folder}): {plan.policy}")
        for n, step in enumerate(plan.steps, 1):
            lines.append(_step_line(n, step, n == len(plan.steps)))
            width = max(len(t.res.ref()) + (5 if t.hook else 0) for t in step.tasks)
            for t in step.tasks:
                label = t.res.ref() + (" hook" if t.hook else "")
                lines.append(f"       {label:<{width}}  {step.notes.get(id(t), '')}")
        for t in plan.sync_fail:
            lines.append(f"  on failure: SyncFail hook {t.res.ref()}")
        for p in plan.problems:
            lines.append(f"  {p.severity}: {p.message} ({p.rule})")
        stuck = any(p.severity == "error" for p in plan.problems)
        lines.append("  result: the sync never finishes" if stuck else "  result: the sync can finish")
        lines.append("")
    for p in sim.flux:
        lines.append(f"{p.res.origin.file}: {p.severity}: {p.message} ({p.rule})")
    if not sim.plans and not sim.flux:
        lines.append("nothing to sync: no manifests")
    return "\n".join(lines).rstrip("\n") + "\n"
