"""What a change means, per app, in a reviewer's words: the lines that lead the plan and the comment.

    web-api (apps/web_api.py): image 2.4.1 → 9.9.9 in dev and prod
      pods restarted: Deployment web-api in dev and prod
      deleted: nothing; downtime risk: none found; data at risk: none
      findings: none added, none fixed

The object-by-object detail (counts, field diffs) follows it, folded in the comment. Downtime is
judged from the objects themselves: a workload whose pods all stop before new ones run (Recreate,
a single-replica StatefulSet, a single-replica Deployment that may go unavailable), and a
Deployment, StatefulSet, Service or Ingress that is deleted, or a Service whose selector or ports
change. Data at risk is `data.effects` (claims and namespaces deleted). docs/pull-requests.md.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from . import data
from .compare import ABSENT, Change, Plan

if TYPE_CHECKING:
    from ..findings import Finding

# Kinds whose running pods are replaced when their pod template changes (a rolling restart).
RESTARTED = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout", "LeaderWorkerSet")
# Kinds that run to completion: a new template means the run is replaced (docs/jobs.md).
RERUN = ("Job", "JobSet", "TrainJob")
SERVING = ("Deployment", "StatefulSet", "DaemonSet", "Rollout", "Service", "Ingress", "InferenceService")
NO_APP = "(no app)"  # objects made from the whole set: Argo CD and Flux objects


@dataclass
class AppSummary:
    app: str
    spec_file: str = ""
    images: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    restarted: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    created: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    updated: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    deleted: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    downtime: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # rule -> environments
    fixed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _envs(envs: list[str]) -> str:
    unique = list(dict.fromkeys(e for e in envs if e))
    if not unique:
        return ""
    return " in " + (unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1])


def _tag(image: str) -> tuple[str, str]:
    """(repository, tag or digest) of an image reference."""
    if "@" in image:
        repo, _, digest = image.partition("@")
        return repo, digest[:19] if digest.startswith("sha256:") else digest
    slash = image.rfind("/")
    colon = image.rfind(":")
    return (image[:colon], image[colon + 1:]) if colon > slash else (image, "latest")


def image_change(old: Any, new: Any) -> str:
    if not isinstance(old, str) or not isinstance(new, str):
        return f"{old} → {new}"
    (old_repo, old_tag), (new_repo, new_tag) = _tag(old), _tag(new)
    return f"{old_tag} → {new_tag}" if old_repo == new_repo else f"{old} → {new}"


def _is_image(path: str) -> bool:
    return path.endswith(".image") and "ontainers[" in path


def _in_template(path: str) -> bool:
    return any(part.split("[")[0].lower().endswith("template") for part in path.split("."))


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _spec(obj: dict) -> dict:
    return _map(obj.get("spec"))


def _replicas(obj: dict) -> int | None:
    """spec.replicas; None when it is left to an autoscaler (absent) or not a number."""
    value = _spec(obj).get("replicas")
    return value if isinstance(value, int) else None


def _unavailable(value: Any, replicas: int) -> int:
    """maxUnavailable as a number of pods (a percentage rounds down, as the Deployment controller does)."""
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        return int(value[:-1]) * replicas // 100
    return value if isinstance(value, int) else 0


def _downtime_of_restart(c: Change) -> str | None:
    """Why restarting this workload's pods may leave it with none ready, if it may."""
    obj = c.new.obj if c.new is not None else {}
    spec, name = _spec(obj), f"{c.kind} {c.resource.name}{_envs([c.env])}"
    strategy = _map(spec.get("strategy"))
    replicas = _replicas(obj)
    if c.kind == "Deployment":
        if strategy.get("type") == "Recreate":
            return f"{name} uses Recreate: every pod stops before the new ones start"
        allowed = _map(strategy.get("rollingUpdate")).get("maxUnavailable", "25%")
        if replicas is not None and replicas > 0 and _unavailable(allowed, replicas) >= replicas:
            return f"{name} may stop all {replicas} replica(s) before new ones are ready (maxUnavailable {allowed})"
    if c.kind == "StatefulSet" and replicas is not None and replicas <= 1:
        return f"{name} runs {replicas} replica: its pod stops before the new one starts"
    return None


def _service_break(c: Change) -> str | None:
    paths = [f.path for f in c.fields]
    touched = [p for p in ("spec.selector", "spec.ports") if any(q == p or q.startswith(p + ".") or
                                                                  q.startswith(p + "[") for q in paths)]
    if c.kind == "Service" and touched:
        return f"Service {c.resource.name}{_envs([c.env])} changes {' and '.join(t[5:] for t in touched)}"
    return None


def summarize(plan: Plan, new: Iterable[Finding] = (), fixed: Iterable[Finding] = ()) -> list[AppSummary]:
    """One summary per app the plan or the findings touch, in the plan's order."""
    apps: dict[str, AppSummary] = {}

    def of(app: str | None, spec_file: str | None) -> AppSummary:
        entry = apps.setdefault(app or NO_APP, AppSummary(app or NO_APP))
        entry.spec_file = entry.spec_file or spec_file or ""
        return entry

    by_app: dict[str, list[Change]] = defaultdict(list)
    for c in plan.changes:
        s = of(c.origin.app, c.origin.spec_file)
        by_app[s.app].append(c)
        label = f"{c.kind} {c.resource.name}"
        if c.action == "create":
            s.created[label].append(c.env)
            continue
        if c.action == "delete":
            s.deleted[label].append(c.env)
            if c.kind in SERVING:
                s.downtime.append(f"deletes {label}{_envs([c.env])}")
            continue
        s.updated[label].append(c.env)
        for f in c.fields:
            if _is_image(f.path) and f.old is not ABSENT and f.new is not ABSENT:
                s.images[(f.old, f.new)].append(c.env)
        if any(_in_template(f.path) for f in c.fields):
            if c.kind in RESTARTED:
                s.restarted[label].append(c.env)
                if (risk := _downtime_of_restart(c)) is not None:
                    s.downtime.append(risk)
            elif c.kind in RERUN:
                s.restarted[f"{label} (replaced: it runs again)"].append(c.env)
        if (risk := _service_break(c)) is not None:
            s.downtime.append(risk)
    for app, changes in by_app.items():
        apps[app].data = data.effects(Plan(tuple(changes)))
    for finding in new:
        of(finding.origin.app, finding.origin.spec_file).added[finding.rule].append(finding.origin.env or "")
    for finding in fixed:
        of(finding.origin.app, finding.origin.spec_file).fixed[finding.rule].append(finding.origin.env or "")
    return list(apps.values())


def _group(items: dict[str, list[str]]) -> str:
    """`Deployment a in dev and prod, Service b in dev`."""
    return ", ".join(f"{label}{_envs(envs)}" for label, envs in items.items())


def _count(kinds: dict[str, list[str]]) -> int:
    return sum(len(envs) for envs in kinds.values())


def headline(s: AppSummary) -> str:
    if s.images:
        return "; ".join(f"image {image_change(old, new)}{_envs(envs)}" for (old, new), envs in s.images.items())
    if s.created and not s.updated and not s.deleted:
        envs = [e for v in s.created.values() for e in v]
        return f"new: {_count(s.created)} object(s){_envs(envs)}"
    if s.deleted and not s.updated and not s.created:
        envs = [e for v in s.deleted.values() for e in v]
        return f"removed: {_count(s.deleted)} object(s){_envs(envs)}"
    parts = [f"{n} {what}" for n, what in ((_count(s.created), "created"), (_count(s.updated), "updated"))
             if n]
    return (", ".join(parts) or "no object changes") + (" (no image change)" if s.updated else "")


def details(s: AppSummary, findings: bool = True) -> list[str]:
    """What follows the headline: pods, what goes away, and (when they were checked) findings."""
    out = [f"pods restarted: {_group(s.restarted) or 'none'}",
           f"deleted: {_group(s.deleted) or 'nothing'}; downtime risk: {'; '.join(s.downtime) or 'none found'}; "
           f"data at risk: {'; '.join(s.data) or 'none'}"]
    if findings:
        out.append(f"findings: {_group(s.added) + ' added' if s.added else 'none added'}, "
                   f"{_group(s.fixed) + ' fixed' if s.fixed else 'none fixed'}")
    return out


def lines(summaries: list[AppSummary], findings: bool = True) -> list[str]:
    """Per app: `app (spec file): headline`, then its details indented. `findings=False` when the
    findings were not computed (`gitops diff`), so "none added" is never claimed."""
    out = []
    for s in summaries:
        where = f" ({s.spec_file})" if s.spec_file else ""
        out.append(f"{s.app}{where}: {headline(s)}")
        out += [f"  {line}" for line in details(s, findings)]
    return out
