"""The `kueue:` section of gitops.yaml and its per-environment setting: queues with quotas, and
workload priorities (Kueue's ClusterQueues and WorkloadPriorityClasses).

    kueue:
      queues:                         # one ClusterQueue each; apps say queue="training"
        training:
          cohort: ml                  # optional: queues of a cohort borrow each other's unused quota
          quotas:                     # flavors in order of preference -> nominal quota
            nvidia-l4: {cpu: 96, memory: 384Gi, nvidia.com/gpu: 8}
            default: {cpu: 32, memory: 128Gi}
      priorities: {production: 10000, research: 100}   # WorkloadPriorityClasses
    environments:
      dev: {kueue: {suspend: true, queues: {training: {quotas: {nvidia-l4: {...}}}}}}

A flavor is `default` (nodes without GPUs) or a GPU model of the environment's cluster profile,
named from its inventory (NVIDIA L4 -> nvidia-l4), checked per environment. Each app namespace with
a queued Job gets a LocalQueue named like its queue; `suspend: true` writes queued Jobs suspended
(Kueue resumes them when it admits them).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import InputError
from ..spec.values import check_dns_label, check_dns_subdomain, check_label_key, parse_quantity
from ..yamlio import line_of

SECTION = "kueue"
ENV_SETTING = "kueue"
DEFAULT_FLAVOR = "default"


@dataclass(frozen=True)
class Queue:
    """A ClusterQueue: quotas per flavor, in the order Kueue tries them."""

    name: str
    quotas: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (flavor, ((resource, quantity), ...))
    cohort: str | None = None
    line: int = 0  # where gitops.yaml declares it (for errors found per environment)

    @property
    def resources(self) -> list[str]:
        """Every resource any flavor gives quota for: cpu and memory first (Kueue's covered resources)."""
        names = {r for _, quota in self.quotas for r, _ in quota}
        return sorted(names, key=lambda r: ({"cpu": 0, "memory": 1}.get(r, 2), r))

    def quota(self, flavor: str) -> dict[str, str]:
        return dict(dict(self.quotas).get(flavor, ()))


@dataclass(frozen=True)
class Kueue:
    """The section, or one environment's view of it (queues replaced by the environment's)."""

    queues: tuple[Queue, ...] = ()
    priorities: tuple[tuple[str, int], ...] = ()
    suspend: bool = False
    file: str = ""
    lines: dict = field(default_factory=dict, compare=False)  # key -> line, for errors

    def queue(self, name: str) -> Queue | None:
        return next((q for q in self.queues if q.name == name), None)

    @property
    def priority_names(self) -> list[str]:
        return [name for name, _ in self.priorities]


def _fail(file: str, parent: Any, key: str, message: str) -> InputError:
    return InputError(f"{key}: {message}", file=file, line=line_of(parent, key))


def _queues(value: Any, file: str, parent: Any, where: str) -> tuple[Queue, ...]:
    if not isinstance(value, dict) or not value:
        raise _fail(file, parent, "queues", "expected a mapping of queue name to {quotas: {flavor: {cpu: ..., "
                    "memory: ...}}}")
    out = []
    for name, settings in value.items():
        problem = check_dns_label(name) if isinstance(name, str) else "must be a string"
        if problem:
            raise _fail(file, value, str(name), f"queue name: {problem}")
        if not isinstance(settings, dict):
            raise _fail(file, value, name, "expected {quotas: {...}, cohort: ...}")
        for key in settings:
            if key not in ("quotas", "cohort"):
                raise _fail(file, settings, key, f"unknown queue setting in {where}.{name}; expected quotas or cohort")
        cohort = settings.get("cohort")
        if cohort is not None and (not isinstance(cohort, str) or check_dns_label(cohort)):
            raise _fail(file, settings, "cohort", f"got {cohort!r}; expected a cohort name (a DNS label)")
        quotas = settings.get("quotas")
        if not isinstance(quotas, dict) or not quotas:
            raise _fail(file, settings, "quotas", "expected a mapping of flavor (default or a GPU model such as "
                        "nvidia-l4) to {cpu: ..., memory: ..., nvidia.com/gpu: ...}")
        flavors = []
        for flavor, resources in quotas.items():
            problem = check_dns_label(flavor) if isinstance(flavor, str) else "must be a string"
            if problem:
                raise _fail(file, quotas, str(flavor), f"flavor name: {problem}")
            if not isinstance(resources, dict) or not resources:
                raise _fail(file, quotas, flavor, "expected a mapping of resource to quantity, e.g. {cpu: 32, memory: 128Gi}")
            entries = []
            for resource, amount in resources.items():
                if not isinstance(resource, str) or check_label_key(resource):
                    raise _fail(file, resources, str(resource), "expected a resource name such as cpu, memory or "
                                "nvidia.com/gpu")
                text = str(amount) if isinstance(amount, (int, float)) and not isinstance(amount, bool) else amount
                try:
                    ok = isinstance(text, str) and parse_quantity(text) >= 0
                except ValueError:
                    ok = False
                if not ok:
                    raise _fail(file, resources, resource, f"got {amount!r}; expected a quantity such as 32, 500m or 128Gi")
                entries.append((resource, text))
            flavors.append((flavor, tuple(entries)))
        out.append(Queue(name, tuple(flavors), cohort, line_of(value, name) or 0))
    return tuple(out)


def parse_kueue(value: Any, file: str, parent: Any) -> Kueue:
    """The top-level `kueue:` section."""
    if not isinstance(value, dict):
        raise _fail(file, parent, SECTION, "expected a mapping with queues and priorities")
    for key in value:
        if key not in ("queues", "priorities"):
            raise _fail(file, value, key, "unknown kueue setting; expected queues or priorities")
    queues = _queues(value["queues"], file, value, "kueue.queues") if "queues" in value else ()
    priorities = []
    declared = value.get("priorities") or {}
    if not isinstance(declared, dict):
        raise _fail(file, value, "priorities", "expected a mapping of priority name to value, e.g. {production: 10000}")
    for name, number in declared.items():
        problem = check_dns_subdomain(name) if isinstance(name, str) else "must be a string"
        if problem:
            raise _fail(file, declared, str(name), f"priority name: {problem}")
        if not isinstance(number, int) or isinstance(number, bool) or not -2**31 <= number <= 10**9:
            raise _fail(file, declared, name, f"got {number!r}; expected an integer up to 1000000000")
        priorities.append((name, number))
    lines = {q.name: q.line for q in queues} | {name: line_of(declared, name) or 0 for name, _ in priorities}
    return Kueue(queues, tuple(priorities), False, file, lines)


def parse_env_kueue(value: Any, file: str, parent: Any) -> dict:
    """`environments.<env>.kueue`: {suspend: bool, queues: {...}} (queues replace those of the section by name)."""
    if not isinstance(value, dict):
        raise _fail(file, parent, ENV_SETTING, "expected a mapping such as {suspend: true}")
    out: dict[str, Any] = {}
    for key, setting in value.items():
        if key == "suspend":
            if not isinstance(setting, bool):
                raise _fail(file, value, key, f"got {setting!r}; expected true or false")
            out["suspend"] = setting
        elif key == "queues":
            out["queues"] = _queues(setting, file, value, "kueue.queues")
        else:
            raise _fail(file, value, key, "unknown kueue setting; expected suspend or queues")
    return out


def for_environment(section: Kueue | None, env_setting: dict | None) -> Kueue | None:
    """The section as one environment sees it, or None when the project does not use Kueue."""
    if section is None and not env_setting:
        return None
    base = section or Kueue()
    env_setting = env_setting or {}
    queues = list(base.queues)
    for queue in env_setting.get("queues", ()):
        queues = [q for q in queues if q.name != queue.name] + [queue]
    lines = dict(base.lines) | {q.name: q.line for q in env_setting.get("queues", ())}
    return replace(base, queues=tuple(sorted(queues, key=lambda q: q.name)),
                   suspend=bool(env_setting.get("suspend", False)), lines=lines)
