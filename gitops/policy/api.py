"""The contract between the policy engine and its rules.

A rule is one module, `gitops/policy/rules/<family>/<rule_id>.py` (see STYLE.md, yamllint), with
these module-level names and a docstring that is its documentation:

    ID = "cpu-requests"                  # kebab-case, unique; refused twice by the registry
    TITLE = "one line"                   # what a clean object satisfies; `gitops rules` shows it
    SEVERITY = "error"                   # default; policies/ may change it per environment
    REMEDIATION = "one line"             # how to fix a finding (SARIF help, `gitops explain`)
    OPTIONS = {"min": None}              # optional: option name -> default, the only place it is written
    SCOPE = "resource"                   # optional; "resource": check(resource, ctx) per object,
                                         #           "set": check(ctx) once over all objects
    KINDS = ("Deployment",)              # optional: the engine passes only objects of these kinds
    WAIVABLE = True                      # optional: False when no waiver may silence it
    def check(resource, ctx) -> Iterator[Found]   (or check(ctx) for SCOPE = "set")

The docstring says what it checks and why, and holds a failing and a passing example (fenced YAML
blocks after `Fails:` and `Passes:`; a test runs every rule on both). A shape-only rule sets
`check = satisfies(target, SCHEMA, message, REMEDIATION)` (shapes.py) instead of writing one.

Rules yield `Found(resource, message, path=..., hint=...)`: what they found, nothing more. The
engine stamps the id and the severity configured for the environment (`ctx.severity`), and reads
options from `ctx.options`, which always holds every option (defaults filled in).
"""
from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml

from ..findings import Found
from ..manifests.resource import Resource
from ..schema.scope import BUILTIN_GROUPS


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
    # lookups by kind, namespace and name; the engine builds it once per run so set rules stay linear
    index: "Index | None" = None
    # folders holding templates that were skipped: objects there may exist that the rules cannot see
    unseen: frozenset[str] = frozenset()

    def find(self, kind: str, name: str, namespace: str | None = None) -> Resource | None:
        if self.index is not None and namespace is not None:
            return self.index.by_name.get((kind, namespace, name))
        for res in self.of_kind(kind):
            if res.name == name and (namespace is None or res.namespace == namespace):
                return res
        return None

    def of_kind(self, *kinds: str) -> Iterator[Resource]:
        if self.index is not None:
            return (r for kind in kinds for r in self.index.by_kind.get(kind, ()))
        return (r for r in self.resources if r.kind in kinds)

    def pod_labels(self, res: Resource) -> dict:
        """The labels of the pods `res` makes (cached per run when the engine built an index)."""
        return self.index.pod_labels(res) if self.index is not None else pod_template_labels(res)

    def selected(self, namespace: str, selector: Any, *kinds: str) -> list[Resource]:
        """Workloads of these kinds in a namespace whose pods `selector` selects."""
        if self.index is not None:
            return self.index.selected(namespace, selector, kinds)
        return [w for w in self.in_namespace(namespace, *kinds) if selector_matches(selector, pod_template_labels(w))]

    def selecting(self, kind: str, namespace: str, labels: dict, selector_path: tuple[str, ...] = ("spec", "selector")
                  ) -> list[Resource]:
        """Objects of `kind` in a namespace whose selector (at `selector_path`) selects `labels`."""
        if self.index is not None:
            return self.index.selecting(kind, namespace, labels, selector_path)
        return [o for o in self.in_namespace(namespace, kind) if selector_matches(_at(o.obj, selector_path), labels)]

    def scaler_of(self, res: Resource) -> Resource | None:
        """The HorizontalPodAutoscaler (or KEDA ScaledObject) whose scaleTargetRef names `res`, if any."""
        if self.index is not None:
            return self.index.scalers().get((res.namespace, res.kind, res.name))
        for hpa in self.in_namespace(res.namespace, *SCALERS):
            if _scale_target(hpa) == (res.kind, res.name):
                return hpa
        return None

    def in_namespace(self, namespace: str, *kinds: str) -> Iterator[Resource]:
        """Objects of these kinds in one namespace."""
        if self.index is not None:
            return (r for kind in kinds for r in self.index.by_namespace.get((kind, namespace), ()))
        return (r for r in self.resources if r.kind in kinds and r.namespace == namespace)


class Index:
    """Resources by kind, by (kind, namespace) and by (kind, namespace, name); first one wins."""

    def __init__(self, resources: tuple[Resource, ...]):
        by_kind: dict[str, list[Resource]] = {}
        by_namespace: dict[tuple[str, str], list[Resource]] = {}
        self.by_name: dict[tuple[str, str, str], Resource] = {}
        for res in resources:
            kind, namespace = res.kind, res.namespace
            by_kind.setdefault(kind, []).append(res)
            by_namespace.setdefault((kind, namespace), []).append(res)
            self.by_name.setdefault((kind, namespace, res.name), res)
        self.by_kind = {k: tuple(v) for k, v in by_kind.items()}
        self.by_namespace = {k: tuple(v) for k, v in by_namespace.items()}
        self._labels: dict[int, dict] = {}

        self._postings: dict[tuple[str, str], dict] = {}  # (namespace, kind) -> {(label, value): [workload]}
        self._selectors: dict[tuple, tuple[dict, list]] = {}  # (kind, path, namespace) -> (by pair, others)
        self._scalers: dict | None = None
        self.crd_scopes: dict | None = None  # (group, kind) -> namespaced, filled by namespace-set

    def pod_labels(self, res: Resource) -> dict:
        """`pod_template_labels(res)`, computed once per resource of the indexed set."""
        key = id(res)
        if key not in self._labels:
            self._labels[key] = pod_template_labels(res)
        return self._labels[key]

    def selected(self, namespace: str, selector: Any, kinds: tuple[str, ...]) -> list[Resource]:
        """Workloads selected by `selector`: candidates from one label's posting list, then verified."""
        wanted = _required_pairs(selector)
        out = []
        for kind in kinds:
            if not wanted:
                candidates = self.by_namespace.get((kind, namespace), ())
            else:
                postings = self._postings_for(namespace, kind)
                candidates = min((postings.get(pair, ()) for pair in wanted), key=len)
            out += [w for w in candidates if selector_matches(selector, self.pod_labels(w))]
        return out

    def selecting(self, kind: str, namespace: str, labels: dict, path: tuple[str, ...]) -> list[Resource]:
        """Objects whose selector selects `labels`: those keyed by one of the labels, plus the rest verified."""
        by_pair, others = self._selectors_for(kind, namespace, path)
        candidates = [o for pair in _pairs(labels) for o in by_pair.get(pair, ())] + others
        seen: set[int] = set()
        out = []
        for obj in candidates:
            if id(obj) not in seen and selector_matches(_at(obj.obj, path), labels):
                seen.add(id(obj))
                out.append(obj)
        return out

    def scalers(self) -> dict:
        if self._scalers is None:
            self._scalers = {}
            for kind in SCALERS:
                for hpa in self.by_kind.get(kind, ()):
                    if (target := _scale_target(hpa)) is not None:
                        self._scalers.setdefault((hpa.namespace, *target), hpa)
        return self._scalers

    def _postings_for(self, namespace: str, kind: str) -> dict:
        key = (namespace, kind)
        if key not in self._postings:
            postings: dict = {}
            for w in self.by_namespace.get((kind, namespace), ()):
                for pair in _pairs(self.pod_labels(w)):
                    postings.setdefault(pair, []).append(w)
            self._postings[key] = postings
        return self._postings[key]

    def _selectors_for(self, kind: str, namespace: str, path: tuple[str, ...]) -> tuple[dict, list]:
        key = (kind, path, namespace)
        if key not in self._selectors:
            by_pair: dict = {}
            others: list = []
            for obj in self.by_namespace.get((kind, namespace), ()):
                pairs = sorted(_required_pairs(_at(obj.obj, path)))
                if pairs:
                    by_pair.setdefault(pairs[0], []).append(obj)
                else:
                    others.append(obj)
            self._selectors[key] = (by_pair, others)
        return self._selectors[key]


def _at(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _pairs(labels: Any) -> list[tuple[str, str | int | float]]:
    if not isinstance(labels, dict):
        return []
    return [(k, v) for k, v in labels.items() if isinstance(k, str) and isinstance(v, (str, int, float, bool))]


def _required_pairs(selector: Any) -> list[tuple[str, str | int | float]]:
    """The label=value pairs a selector requires outright (plain map or matchLabels)."""
    if not isinstance(selector, dict):
        return []
    if "matchLabels" in selector or "matchExpressions" in selector:
        selector = selector.get("matchLabels")
    return [pair for pair in _pairs(selector) if pair[0] not in CONTROLLER_KEYS]


# Bugs in a rule facing an odd object are reported as a finding about that object, not a crash.
SHAPE_ERRORS = (TypeError, AttributeError, KeyError, ValueError, IndexError)


def each(objects: Iterator[Resource], check_one: Any) -> Iterator[Found]:
    """`check_one(obj)` for each object of a set rule; an object of an unexpected shape becomes a
    finding at its own place instead of ending the rule for every other object."""
    for obj in objects:
        try:
            yield from check_one(obj)
        except SHAPE_ERRORS as exc:
            yield Found(obj, f"could not check {obj.ref()}: an unexpected shape ({type(exc).__name__}: {exc})")


def index_by_kind(resources: tuple[Resource, ...]) -> Index:
    return Index(resources)


# Argo Rollouts' Rollout is a Deployment with a release strategy: the same spec.template and selector.
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
                  "Pod", "Rollout", "JobSet", "ScaledJob", "LeaderWorkerSet", "InferenceService",
                  "LLMInferenceService")  # from JobSet on: pods from a template (CUSTOM_POD_SPECS)
_WORKLOADS = frozenset(WORKLOAD_KINDS[:WORKLOAD_KINDS.index("JobSet")])  # built-in kinds: pod_spec reads them


def is_windows(res: Resource) -> bool:
    """Pods declared to run on Windows (`spec.os.name: windows`): the API forbids the Linux-only
    securityContext fields there (seccomp, capabilities, read-only root, privilege escalation, ids)."""
    spec, _ = pod_spec(res)
    return isinstance(spec, dict) and as_map(spec.get("os")).get("name") == "windows"


def restarts_never(res: Resource) -> bool:
    """Pods whose restartPolicy is Never or OnFailure: they run to completion, like a Job's."""
    spec, _ = pod_spec(res)
    return isinstance(spec, dict) and spec.get("restartPolicy") in ("Never", "OnFailure")


# Custom resources whose controller makes pods from a template they hold: (group, kind) -> the paths
# of the pod spec, the first present wins (a JobSet: its first replicated job; the generated ones share
# one pod spec).
CUSTOM_POD_SPECS: dict[tuple[str, str], tuple[tuple[str | int, ...], ...]] = {
    ("jobset.x-k8s.io", "JobSet"): (("spec", "replicatedJobs", 0, "template", "spec", "template", "spec"),),
    ("keda.sh", "ScaledJob"): (("spec", "jobTargetRef", "template", "spec"),),
    # The leader pod serves (its ports are the Service's); without a leader template every pod of the
    # group is made from the worker template (leaderworkerset.x-k8s.io/v1 LeaderWorkerTemplate).
    ("leaderworkerset.x-k8s.io", "LeaderWorkerSet"): (("spec", "leaderWorkerTemplate", "leaderTemplate", "spec"),
                                                     ("spec", "leaderWorkerTemplate", "workerTemplate", "spec")),
    # KServe: the predictor is a pod spec plus the model fields; an LLMInferenceService holds a pod spec.
    ("serving.kserve.io", "InferenceService"): (("spec", "predictor"),),
    ("serving.kserve.io", "LLMInferenceService"): (("spec", "template"),),
}


def _custom_pod_spec(res: Resource) -> tuple[dict | None, str]:
    for steps in CUSTOM_POD_SPECS.get((res.group, res.kind), ()):
        node: Any = res.obj
        for step in steps:
            if isinstance(step, int):
                node = node[step] if isinstance(node, list) and len(node) > step else None
            else:
                node = node.get(step) if isinstance(node, dict) else None
        if isinstance(node, dict):
            return node, ".".join(f"[{s}]" if isinstance(s, int) else s for s in steps).replace(".[", "[")
    return None, ""


def pod_spec(res: Resource) -> tuple[dict | None, str]:
    """The pod spec inside a workload (or a JobSet or KEDA ScaledJob) and its JSON path, or (None, "")
    for other kinds."""
    kind = res.kind
    if kind not in _WORKLOADS:
        return _custom_pod_spec(res)
    obj = res.obj
    if kind == "Pod":
        spec = obj.get("spec")
        return (spec, "spec") if isinstance(spec, dict) else (None, "")
    if kind == "CronJob":
        spec = (((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec")
        return (spec, "spec.jobTemplate.spec.template.spec") if isinstance(spec, dict) else (None, "")
    spec = ((obj.get("spec") or {}).get("template") or {}).get("spec")
    return (spec, "spec.template.spec") if isinstance(spec, dict) else (None, "")


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


# ---- helpers shared by rules (added with the engine; the contract above is unchanged) ----

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}


def quantity(value: Any) -> float | None:
    """A Kubernetes quantity ("250m", "1Gi", 2) as a number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str) or not value:
        return None
    for suffix, factor in _BINARY.items():
        if value.endswith(suffix):
            return _number(value[:-2], factor)
    if value[-1] in _DECIMAL and not value[-1].isdigit():
        return _number(value[:-1], _DECIMAL[value[-1]])
    return _number(value, 1)


def _number(text: str, factor: float) -> float | None:
    try:
        return float(text) * factor
    except ValueError:
        return None


def pod_template_labels(res: Resource) -> dict:
    """The labels of the pods a workload makes (a Pod's own labels), with those its controller adds
    (`job-name`, `statefulset.kubernetes.io/pod-name`, ...), and for the custom resources of known
    operators (pod_makers.yaml) the labels the operator puts on its pods."""
    if res.kind == "Pod":
        labels = res.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}
    if res.kind in _MAKER_KINDS:
        return _operator_pod_labels(res)
    if res.kind == "CronJob":
        tpl = (((res.obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
    elif res.kind in WORKLOAD_KINDS:
        tpl = (res.obj.get("spec") or {}).get("template") or {}
    else:
        return {}
    labels = (tpl.get("metadata") or {}).get("labels") if isinstance(tpl, dict) else None
    labels = labels if isinstance(labels, dict) else {}
    added = _controller_labels(res)
    return {**labels, **added} if added else labels


class _Ordinal(str):
    """A label value the controller sets per pod as `<prefix><ordinal>` (StatefulSet pods): equal to
    any such value. A str subclass so label maps stay plain; it never enters a posting list."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith(str(self)) and other[len(self):].isdigit()

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


# Labels kube-controller-manager puts on the pods it makes, beyond the template's: selectors may
# name them (one Service per StatefulSet pod, a NetworkPolicy for one Job's pods).
CONTROLLER_KEYS = frozenset({"statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "job-name",
                             "batch.kubernetes.io/job-name"})


def _controller_labels(res: Resource) -> dict:
    name = res.name
    if not name or name == "?":
        return {}
    if res.kind == "StatefulSet":
        return {"statefulset.kubernetes.io/pod-name": _Ordinal(f"{name}-"), "apps.kubernetes.io/pod-index": _Ordinal("")}
    if res.kind == "Job":
        return {"job-name": name, "batch.kubernetes.io/job-name": name}
    return {}


def _load_pod_makers() -> dict[str, list[dict]]:
    text = importlib.resources.files("gitops.policy").joinpath("pod_makers.yaml").read_text(encoding="utf-8")
    out: dict[str, list[dict]] = {}
    for entry in yaml.safe_load(text):
        out.setdefault(entry["kind"], []).append(entry)
    return out


POD_MAKERS = _load_pod_makers()
_MAKER_KINDS = frozenset(POD_MAKERS)
POD_OWNER_KINDS = WORKLOAD_KINDS + tuple(sorted(_MAKER_KINDS))


def _operator_pod_labels(res: Resource) -> dict:
    group = res.api_version.rpartition("/")[0]
    for entry in POD_MAKERS.get(res.kind, ()):
        if entry["apiGroup"] != group:
            continue
        labels: dict = {}
        for path in entry.get("labels_from") or ():
            copied = _at(res.obj, tuple(path.split(".")))
            if isinstance(copied, dict):
                labels.update(copied)
        labels.update({k: str(v).replace("{name}", res.name) for k, v in entry["labels"].items()})
        return labels
    return {}


def makes_pods(res: Resource) -> bool:
    """Whether a custom resource (not a Kubernetes built-in) may make pods we cannot see: it has a
    spec with a pod-shaped part (containers, a template, podMetadata, replicas)."""
    if res.group in BUILTIN_GROUPS or res.kind in _MAKER_KINDS or res.kind in _WORKLOADS:
        return False
    spec = res.obj.get("spec")
    return isinstance(spec, dict) and bool(_POD_HINTS & set(spec))


_POD_HINTS = frozenset({"containers", "template", "podTemplate", "podMetadata", "replicas", "image", "podSpec",
                        "jobTemplate", "workers", "nodeSets", "instances"})


def selects_every_pod(obj: Resource, path: tuple[str, ...] = ("spec", "selector")) -> bool:
    """A policy/v1 PodDisruptionBudget (or a NetworkPolicy podSelector) with an empty selector `{}`
    selects every pod of its namespace; in policy/v1beta1 an empty PDB selector selected none."""
    selector = _at(obj.obj, path)
    empty = isinstance(selector, dict) and set(selector) <= {"matchLabels", "matchExpressions"} \
        and not any(selector.values())
    if not empty:
        return False
    return not (obj.kind == "PodDisruptionBudget" and obj.api_version == "policy/v1beta1")


def selector_matches(selector: Any, labels: dict) -> bool:
    """Whether a label selector (a plain map, or matchLabels/matchExpressions) selects `labels`.

    An empty or missing selector selects nothing here: in the manifests we check, that is a mistake.
    """
    if not isinstance(selector, dict) or not selector:
        return False
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return all(labels.get(k) == v for k, v in selector.items())
    match = selector.get("matchLabels") or {}
    if not isinstance(match, dict) or any(labels.get(k) != v for k, v in match.items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        if not isinstance(expr, dict):
            return False
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return bool(match or selector.get("matchExpressions"))


SCALERS = ("HorizontalPodAutoscaler", "ScaledObject")


def _scale_target(scaler: Resource) -> tuple[str, str] | None:
    """(kind, name) a scaler scales; a KEDA ScaledObject's kind defaults to Deployment."""
    ref = _at(scaler.obj, ("spec", "scaleTargetRef"))
    if not isinstance(ref, dict):
        return None
    default = "Deployment" if scaler.kind == "ScaledObject" else ""
    return str(ref.get("kind") or default), str(ref.get("name") or "")


def replicas(res: Resource, ctx: "Context") -> int:
    """Pods a Deployment or StatefulSet runs at least: spec.replicas, or the minimum of its HPA
    (or of its KEDA ScaledObject, whose minReplicaCount defaults to 0)."""
    hpa = ctx.scaler_of(res)
    if hpa is not None:
        keda = hpa.kind == "ScaledObject"
        value = as_map(hpa.obj.get("spec")).get("minReplicaCount" if keda else "minReplicas", 0 if keda else 1)
        return value if isinstance(value, int) and not isinstance(value, bool) else 1
    value = (res.obj.get("spec") or {}).get("replicas", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def as_map(value: Any) -> dict:
    """`value` when it is a mapping, else an empty one: rules read odd shapes without crashing."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> Iterator[tuple[int, dict]]:
    """(index, item) for the mappings of a list; other items and non-lists are skipped."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item
