"""Replay of one Argo CD sync: phases, hooks, waves, kind order, and where it would wait forever.

How gitops-engine runs a sync (`pkg/sync/sync_tasks.go`, `sync_context.go`; docs/sync-plan.md):

1. Every object becomes a task with a phase (PreSync, Sync, PostSync from the
   `argocd.argoproj.io/hook` annotation, or Helm's `helm.sh/hook`; objects without one are Sync;
   `Skip` is never applied; SyncFail hooks run only when the sync fails) and a wave
   (`argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0).
2. Tasks are sorted by phase, wave, kind (a fixed table: Namespace first, custom resources last),
   then name. A Namespace or CRD that sorts after an object needing it moves up to that object's
   phase and wave.
3. The first (phase, wave) with pending tasks is applied; when the sync has more than one step,
   the next step starts only once every task of this one is healthy (a hook: finished). A
   Degraded task fails the sync. The last step ends the sync as soon as it is applied, except for
   hooks, which are always waited for.

So an object of a waited-for step that can only become healthy after a later step has run
blocks the sync for ever (a deadlock), and so does an object that can never become healthy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from ..catalog.builtin import BY_ID
from ..manifests.resource import Resource
from ..policy.api import as_map
from . import health
from .health import Need

PHASES = ("PreSync", "Sync", "PostSync")
HOOK = "argocd.argoproj.io/hook"
WAVE = "argocd.argoproj.io/sync-wave"
HELM_HOOK = "helm.sh/hook"
HELM_WEIGHT = "helm.sh/hook-weight"
# Helm hook names Argo CD runs, and the phase it runs them in (gitops-engine pkg/sync/hook/helm).
HELM_PHASES = {"pre-install": "PreSync", "pre-upgrade": "PreSync", "post-install": "PostSync",
               "post-upgrade": "PostSync"}
ARGO_HOOKS = ("PreSync", "Sync", "PostSync", "SyncFail", "PostDelete", "Skip")

# gitops-engine's kind order inside one wave (pkg/sync/sync_tasks.go); other kinds come after.
KIND_ORDER = [
    "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
    "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
    "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
    "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job",
    "CronJob", "IngressClass", "Ingress", "APIService",
]
_KIND_RANK = {kind: i for i, kind in enumerate(KIND_ORDER)}
CLUSTER_KINDS = frozenset({"Namespace", "PriorityClass", "RuntimeClass", "StorageClass", "PersistentVolume",
                           "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "IngressClass"})


@dataclass(frozen=True)
class Task:
    res: Resource
    phase: str
    wave: int
    hook: bool

    def sort_key(self) -> tuple:
        return (PHASES.index(self.phase) if self.phase in PHASES else len(PHASES), self.wave,
                _KIND_RANK.get(self.res.kind, len(KIND_ORDER)), self.res.name)


@dataclass(frozen=True)
class Problem:
    """A sync that cannot finish: `res` waits for `other` (or for nothing that will ever come).
    `unsure`: it depends on what the simulation cannot see (a storage class's binding mode)."""

    rule: str
    res: Resource
    message: str
    other: Resource | None = None
    hint: str = ""
    unsure: bool = False

    @property
    def severity(self) -> str:
        """The catalog's severity of the id (an unsure problem is an info, as every unsure finding)."""
        return "info" if self.unsure else BY_ID[self.rule].severity


@dataclass
class Step:
    phase: str
    wave: int
    tasks: list[Task]
    awaited: bool  # the sync waits until every task of this step is healthy (hooks: always)
    notes: dict[int, str] = field(default_factory=dict)  # id(task) -> what healthy means for it


@dataclass
class Plan:
    """One Application's sync, step by step, and what stops it."""

    name: str
    folder: str
    policy: str
    steps: list[Step]
    sync_fail: list[Task]
    problems: list[Problem]


def _annotations(res: Resource) -> dict:
    return as_map(res.metadata.get("annotations"))


def _csv(value: object) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else []


def _int(value: object) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


def tasks_of(res: Resource) -> list[Task]:
    """The tasks of one object: one per hook phase it names, or one Sync task; none for Skip."""
    notes = _annotations(res)
    wave = _int(notes[WAVE]) if WAVE in notes else _int(notes.get(HELM_WEIGHT, 0))
    argo = [h for h in _csv(notes.get(HOOK)) if h in ARGO_HOOKS]
    if HOOK in notes:
        if argo == ["Skip"]:
            return []
        return [Task(res, h, wave, True) for h in argo if h not in ("Skip", "PostDelete")]
    helm = [HELM_PHASES[h] for h in _csv(notes.get(HELM_HOOK)) if h in HELM_PHASES]
    if helm:
        return [Task(res, phase, wave, True) for phase in sorted(set(helm), key=PHASES.index)]
    if _csv(notes.get(HELM_HOOK)):
        return []  # Helm hooks Argo CD does not run (test, pre-delete, ...)
    return [Task(res, "Sync", wave, False)]


def _namespace(res: Resource, default: str) -> str:
    return "" if res.kind in CLUSTER_KINDS else (res.namespace or default)


def _ordered(tasks: list[Task], default_ns: str) -> list[Task]:
    """Sorted as gitops-engine sorts, with Namespaces and CRDs pulled up to their first user."""
    tasks = sorted(tasks, key=Task.sort_key)
    first_user: dict[tuple[str, str], Task] = {}
    for t in tasks:
        ns = _namespace(t.res, default_ns)
        if ns:
            first_user.setdefault(("Namespace", ns), t)
        first_user.setdefault(("CRD", f"{t.res.group}/{t.res.kind}"), t)
    out = []
    for t in tasks:
        if t.res.kind == "Namespace" and not t.res.group:
            key = ("Namespace", t.res.name)
        elif t.res.kind == "CustomResourceDefinition":
            spec = as_map(t.res.obj.get("spec"))
            key = ("CRD", f"{spec.get('group')}/{as_map(spec.get('names')).get('kind')}")
        else:
            out.append(t)
            continue
        user = first_user.get(key)
        if user is not None and user.sort_key()[:2] < t.sort_key()[:2]:
            t = Task(t.res, user.phase, user.wave, t.hook)
        out.append(t)
    return sorted(out, key=Task.sort_key)


class _Set:
    """Where each object of the app is applied: (kind, namespace, name) -> step index."""

    def __init__(self, steps: list[Step], default_ns: str):
        self.default_ns = default_ns
        self.at: dict[tuple[str, str, str], tuple[int, Resource]] = {}
        for i, step in enumerate(steps):
            for t in step.tasks:
                ns = _namespace(t.res, default_ns)
                for kind, name in _provides(t.res):
                    self.at.setdefault((kind, ns, name), (i, t.res))

    def find(self, need: Need) -> tuple[int, Resource] | None:
        ns = "" if need.kind in CLUSTER_KINDS else need.namespace
        found = self.at.get((need.kind, ns, need.name))
        if found is None and ns and not self.default_ns:
            found = self.at.get((need.kind, "", need.name))  # plain YAML without namespaces
        return found


def _provides(res: Resource) -> Iterator[tuple[str, str]]:
    """(kind, name) of what applying `res` makes exist: itself, and Secrets made from it."""
    yield res.kind, res.name
    spec = as_map(res.obj.get("spec"))
    if res.kind == "ExternalSecret":
        yield "Secret", str(as_map(spec.get("target")).get("name") or res.name)
    elif res.kind == "SealedSecret":
        yield "Secret", str(as_map(as_map(spec.get("template")).get("metadata")).get("name") or res.name)


def _label(step: Step) -> str:
    return f"{step.phase} wave {step.wave}"


def plan(name: str, folder: str, policy: str, resources: list[Resource], default_ns: str = "",
         classes: dict[str, str] | None = None, mounted_elsewhere: frozenset[tuple[str, str]] = frozenset()) -> Plan:
    """The sync of one Application whose folder holds `resources`. `mounted_elsewhere`: (namespace,
    claim) that a workload outside this folder mounts (another Application's pod binds them)."""
    classes = {**health.storage_classes(resources), **(classes or {})}
    every = [t for r in resources for t in tasks_of(r)]
    sync_fail = [t for t in every if t.phase == "SyncFail"]
    ordered = _ordered([t for t in every if t.phase != "SyncFail"], default_ns)
    steps: list[Step] = []
    for t in ordered:
        if not steps or (steps[-1].phase, steps[-1].wave) != (t.phase, t.wave):
            steps.append(Step(t.phase, t.wave, [], True))
        steps[-1].tasks.append(t)
    if len(steps) == 1 and not any(t.hook for t in steps[0].tasks):
        steps[0].awaited = False  # one step: a plain apply, nothing is waited for
    elif steps:
        steps[-1].awaited = False  # the sync ends once the last step is applied (hooks aside)
    where = _Set(steps, default_ns)
    problems: list[Problem] = []
    for i, step in enumerate(steps):
        for t in step.tasks:
            waited = step.awaited or t.hook
            note, found = _judge(t, i, steps, where, classes, default_ns, waited, mounted_elsewhere)
            step.notes[id(t)] = note
            problems += found
    return Plan(name, folder, policy, steps, sorted(sync_fail, key=Task.sort_key), problems)


def _next_label(steps: list[Step], i: int) -> str:
    return _label(steps[i + 1]) if i + 1 < len(steps) else "the end of the sync"


def _judge(t: Task, i: int, steps: list[Step], where: _Set, classes: dict[str, str], default_ns: str,
           waited: bool, mounted_elsewhere: frozenset[tuple[str, str]] = frozenset()) -> tuple[str, list[Problem]]:
    """What healthy means for task `t` of step `i`, and the problems when the sync waits for it."""
    res = t.res
    ns = _namespace(res, default_ns)
    here = _label(steps[i])
    blocked = _next_label(steps, i)
    problems: list[Problem] = []

    def late(need: Need, found: tuple[int, Resource]) -> None:
        j, other = found
        problems.append(Problem(
            "sync-wave-deadlock", res,
            f"{res.ref()} ({here}) can only become healthy after {other.ref()} ({_label(steps[j])}) exists: "
            f"{need.why}; Argo CD waits for {res.kind} to be healthy before it applies {blocked}",
            other, hint=f"put {other.ref()} in an earlier wave than {res.ref()}, or in the same one"))

    def never(reason: str, unsure: bool = False) -> None:
        if waited:
            problems.append(Problem("sync-never-healthy", res,
                                    f"{res.ref()} ({here}) never becomes healthy: {reason}; Argo CD waits for it "
                                    f"and never applies {blocked}", unsure=unsure))
        else:
            problems.append(Problem("sync-stays-degraded", res,
                                    f"{res.ref()} never becomes healthy: {reason}; the application stays "
                                    "Progressing or Degraded", unsure=unsure))

    selected = _selected(res, steps, ns, default_ns)
    # a workload without spec.replicas (an autoscaler decides) leaves the budget's effect unknown
    replicas_of = {} if any("replicas" not in as_map(r.obj.get("spec")) for r in selected) else \
        {(r.kind, r.name): health.replicas(r) for r in selected}
    reason = health.never_healthy(res, replicas_of)
    if reason:
        never(reason)

    kind = res.kind
    if kind == "PersistentVolumeClaim":
        if (res.namespace, res.name) in mounted_elsewhere:
            return "Bound once a pod of another folder that mounts it runs", problems
        return _judge_claim(t, i, steps, classes, default_ns, waited, never, problems, here, blocked)
    needs: list[Need] = []
    note = "healthy once applied"
    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Pod"):
        note = "healthy once its pods are ready"
        if kind == "DaemonSet" or kind == "Pod" or health.replicas(res) > 0:
            needs = list(health.pod_needs(res, ns))
        else:
            note = "healthy at once (0 replicas)"
    elif kind == "Job":
        note = "healthy when Complete (every pod finished)"
        needs = list(health.pod_needs(res, ns)) + list(health.job_peer_needs(res, ns))
    elif kind == "Rollout" and res.group == health.ROLLOUT_GROUP:
        note = "healthy once its pods are ready and every step ran (a new Rollout goes to 100% at once)"
        needs = list(health.rollout_needs(res, ns)) if health.replicas(res) > 0 else []
        suspends = health.rollout_suspends(res)
        if suspends and waited:
            # Only updates pause (a new Rollout goes to 100% at once): whether this sync is one is unseen.
            problems.append(Problem(
                "sync-never-healthy", res,
                f"{res.ref()} ({here}) is Suspended on every update after the first: {suspends}; Argo CD waits "
                f"for it and applies {blocked} only once it is promoted",
                hint="give every pause a duration (or enable auto-promotion), or put the Rollout in the last wave",
                unsure=True))
    elif kind in ("InferenceService", "LLMInferenceService") and res.group == health.KSERVE_GROUP:
        note = "healthy once Ready (its pods run and the model is loaded)"
        needs = list(health.kserve_needs(res, ns))
    elif kind == "LeaderWorkerSet":
        note = "healthy once applied (Argo CD ships no health check for LeaderWorkerSet)"
    elif kind == "CronJob":
        note = "healthy until a run fails"
    elif kind == "JobSet":
        note = "healthy once applied (Argo CD has no health check for JobSet)"
    elif kind in ("ScaledObject", "ScaledJob") and res.group == "keda.sh":
        note = "healthy once KEDA reports it Ready"
        needs = list(health.keda_needs(res, ns))
    elif health.load_balancer(res):
        note = "healthy once the load balancer has an address"
    elif kind == "Ingress":
        note = "healthy once the ingress controller publishes an address"
    elif kind == "HorizontalPodAutoscaler":
        note = "healthy once it can scale its target"
        target = as_map(as_map(res.obj.get("spec")).get("scaleTargetRef"))
        if target.get("kind") and target.get("name"):
            needs = [Need(str(target["kind"]), str(target["name"]), ns, "it scales this object (FailedGetScale "
                          "makes it Degraded while the target is missing)")]
    elif kind == "PodDisruptionBudget":
        note = "healthy once its pods are ready and a disruption is allowed"
        if waited:
            for other in _selected(res, steps, ns, default_ns):
                j = _step_of(other, steps)
                if j is not None and j >= i:
                    problems.append(Problem(
                        "sync-wave-deadlock", res,
                        f"{res.ref()} ({here}) is Degraded until the pods of {other.ref()} ({_label(steps[j])}) are "
                        f"ready (DisruptionAllowed is False without them); Argo CD fails the sync or never applies "
                        f"{blocked}", other, hint=f"put {res.ref()} in a later wave than {other.ref()}"))
    if waited:
        for need in needs:
            found = where.find(need)
            if found is not None and found[0] > i:
                late(need, found)
    if not waited and i + 1 == len(steps) and len(steps) > 1:
        note += " (not waited for: last step)"
    return note, problems


def _judge_claim(t: Task, i: int, steps: list[Step], classes: dict[str, str], default_ns: str, waited: bool,
                 never, problems: list[Problem], here: str, blocked: str) -> tuple[str, list[Problem]]:
    res = t.res
    mode, class_name = health.binding_mode(res, classes)
    if mode == health.IMMEDIATE:
        return f"Bound once provisioned ({class_name}: Immediate)", problems
    ns = _namespace(res, default_ns)
    consumers = [(j, w) for j, step in enumerate(steps) for w in (x.res for x in step.tasks)
                 if w.kind in health.CONSUMERS and _namespace(w, default_ns) == ns
                 and res.name in health.claim_names(w)]
    known = mode == health.WAIT_FOR_FIRST_CONSUMER
    how = f"{class_name}: WaitForFirstConsumer" if known else f"{class_name}: binding mode unknown"
    note = f"Bound only once a pod mounts it ({how})"
    maybe = "" if known else f" if class {class_name} binds on first consumer (GKE, EKS and AKS classes do)"
    early = [c for c in consumers if c[0] <= i and c[1].kind not in ("CronJob", "ScaledJob")]
    if early or not waited:
        if not consumers and not waited:
            never(f"no pod in the application mounts it and its class binds on first consumer{maybe}", not known)
        return note, problems
    if consumers:
        j, other = consumers[0]
        problems.append(Problem(
            "sync-wave-deadlock", res,
            f"{res.ref()} ({here}) stays Pending until a pod mounts it{maybe}, and the first workload that mounts "
            f"it is {other.ref()} ({_label(steps[j])}); Argo CD waits for the claim to be Bound before it "
            f"applies {blocked}", other,
            hint=f"put {res.ref()} in the same wave as {other.ref()} (or later), or use an Immediate class",
            unsure=not known))
    else:
        never(f"it stays Pending: no pod in the application mounts it and its class binds on first consumer{maybe}",
              not known)
    return note, problems


def _selected(res: Resource, steps: list[Step], ns: str, default_ns: str) -> list[Resource]:
    if res.kind != "PodDisruptionBudget":
        return []
    selector = as_map(res.obj.get("spec")).get("selector")
    return [t.res for step in steps for t in step.tasks
            if t.res.kind in ("Deployment", "StatefulSet", "ReplicaSet")
            and _namespace(t.res, default_ns) == ns and health.selects(selector, t.res)]


def _step_of(res: Resource, steps: list[Step]) -> int | None:
    for j, step in enumerate(steps):
        if any(t.res is res for t in step.tasks):
            return j
    return None
