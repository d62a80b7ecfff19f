"""Kueue: the queue labels and LocalQueue of a queued workload, and the platform side of each
environment (ResourceFlavors, ClusterQueues, WorkloadPriorityClasses under generated/<env>/_kueue/).

How Kueue reads them (kubernetes-sigs/kueue at ff69552, `site/content/en/docs/`):
- a Job, JobSet or TrainJob is queued by the label `kueue.x-k8s.io/queue-name` naming a LocalQueue
  of its namespace (tasks/run/jobs.md, tasks/run/jobsets.md); the LocalQueue points at a
  ClusterQueue (concepts/local_queue.md). Kueue's webhook suspends a queued Job on creation and
  resumes it once admitted, so writing `suspend: true` is optional (the environment decides).
- `kueue.x-k8s.io/priority-class` names a WorkloadPriorityClass, which must exist: a missing one
  blocks the Workload (concepts/workload_priority_class.md).
- a ResourceFlavor maps a flavor to nodes by `nodeLabels`; `nodeTaints` keeps workloads that do
  not tolerate them off it (concepts/resource_flavor.md). Here: one flavor per GPU model of the
  environment's cluster profile, plus `default` for everything else.
- a ClusterQueue's resource group lists the covered resources, and every flavor gives a quota for
  each of them, in the same order (concepts/cluster_queue.md; the CRD's validation rules).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import InputError, SpecError
from ..write.tree import KUSTOMIZATION, kustomization
from ..yamlio import dump, ordered
from .cluster import profile_for
from .context import MANAGED_BY, Target
from .custom import custom_object, object_metadata
from .kueue_config import DEFAULT_FLAVOR, ENV_SETTING, SECTION, Kueue, Queue, for_environment

if TYPE_CHECKING:
    from cdk8s import Chart

    from ..config import Config

KUEUE_API = "kueue.x-k8s.io/v1beta2"
QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
PRIORITY_LABEL = "kueue.x-k8s.io/priority-class"
FOLDER = "_kueue"
UNIT = "kueue"  # the name of its delivery unit: Application kueue-<env>, which queued apps sync after
NAMESPACE = "kueue-system"  # where Kueue runs; the platform objects themselves are cluster-scoped
# Node labels that name a node's GPU model, per provider (GKE, EKS, NVIDIA GPU feature discovery).
MODEL_LABELS = ("cloud.google.com/gke-accelerator", "eks.amazonaws.com/instance-gpu-name", "nvidia.com/gpu.product")


def cluster_name(name: str, env: str) -> str:
    """The name of a cluster-scoped Kueue object of an environment: environments may share a
    cluster (namespaces are per environment, `{app}-{env}`), so their queues, flavors and
    priorities must not collide; LocalQueues keep the plain queue name in each app namespace."""
    return f"{name}-{env}"


def settings_of(t: Target) -> Kueue | None:
    return t.settings.get(ENV_SETTING)


def _spec_error(t: Target, field: str, message: str) -> SpecError:
    return SpecError(message, file=t.spec_file, line=t.spec_line, app=t.app.name, field=field)


def queue_labels(t: Target) -> dict[str, str]:
    """The labels that queue the app's workload, after checking the queue and priority exist."""
    app = t.app
    queue, priority = getattr(app, "queue", None), getattr(app, "priority", None)
    if queue is None and priority is None:
        return {}
    kueue = settings_of(t)
    if kueue is None:
        raise _spec_error(t, "queue" if queue else "priority", f"got {queue or priority!r}, but gitops.yaml has no "
                          f"{SECTION}: section (environment {t.env}); declare the queues and priorities there")
    labels = {}
    if queue is not None:
        if kueue.queue(queue) is None:
            names = ", ".join(q.name for q in kueue.queues) or "none declared"
            raise _spec_error(t, "queue", f"got {queue!r}; environment {t.env} has the queues: {names} "
                              f"({SECTION}.queues in gitops.yaml)")
        labels[QUEUE_LABEL] = queue
    if priority is not None:
        if priority not in kueue.priority_names:
            names = ", ".join(kueue.priority_names) or "none declared"
            raise _spec_error(t, "priority", f"got {priority!r}; expected one of: {names} "
                              f"({SECTION}.priorities in gitops.yaml)")
        labels[PRIORITY_LABEL] = cluster_name(priority, t.env)
    return labels


def with_labels(k8s: Any, meta: Any, labels: dict[str, str]) -> Any:
    """A typed ObjectMeta with `labels` added (the queue labels of a Job)."""
    if not labels:
        return meta
    return k8s.ObjectMeta(name=meta.name, namespace=meta.namespace, labels={**meta.labels, **labels},
                          annotations=meta.annotations)


def starts_suspended(t: Target) -> bool:
    """Whether the queued workload is written with `suspend: true` (the environment says so)."""
    kueue = settings_of(t)
    return bool(getattr(t.app, "queue", None)) and kueue is not None and kueue.suspend


def build_local_queue(chart: Chart, t: Target) -> None:
    """The LocalQueue of the app's namespace, named like the ClusterQueue it feeds."""
    queue = getattr(t.app, "queue", None)
    if queue is None:
        return
    custom_object(chart, "local-queue", KUEUE_API, "LocalQueue", object_metadata(t, name=queue),
                  {"clusterQueue": cluster_name(queue, t.env)})


# --- the platform side, per environment -----------------------------------------------------------

def flavor_name(model: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")[:63] or "gpu"


def flavors(profile: Any) -> dict[str, dict[str, Any]]:
    """Flavor name -> ResourceFlavor spec: one per GPU model of the profile's nodes, and `default`."""
    by_model: dict[str, list[Any]] = {}
    for node in profile.inventory.nodes():
        if node.gpus and node.gpu_model:
            by_model.setdefault(node.gpu_model, []).append(node)
    out: dict[str, dict[str, Any]] = {DEFAULT_FLAVOR: {}}
    for model, nodes in sorted(by_model.items()):
        labels = _model_labels(profile, nodes)
        spec: dict[str, Any] = {"nodeLabels": labels}
        taints = {(t.key, t.value, t.effect) for n in nodes for t in n.taints}
        if taints:
            spec["nodeTaints"] = [{"key": k, **({"value": v} if v else {}), "effect": e} for k, v, e in sorted(
                taints, key=lambda x: (x[0], x[1] or "", x[2]))]
        out[flavor_name(model)] = spec
    return out


def _model_labels(profile: Any, nodes: list[Any]) -> dict[str, str]:
    for key in MODEL_LABELS:
        values = {n.label_map.get(key) for n in nodes}
        if len(values) == 1 and None not in values:
            return {key: values.pop()}
    # no label names the model: the profile's GPU node label at least keeps it on GPU nodes
    return {profile.gpu_node_label: profile.gpu_node_value or "true"}


def cluster_queue(queue: Queue, env: str) -> dict[str, Any]:
    resources = queue.resources
    spec: dict[str, Any] = {
        "namespaceSelector": {},  # any namespace with a LocalQueue pointing here
        "queueingStrategy": "BestEffortFIFO",
        "resourceGroups": [{"coveredResources": resources, "flavors": [
            {"name": cluster_name(flavor, env), "resources": [{"name": r, "nominalQuota": dict(quota).get(r, "0")} for r in resources]}
            for flavor, quota in queue.quotas]}],
    }
    if queue.cohort:
        spec["cohortName"] = cluster_name(queue.cohort, env)
    return spec


def platform_objects(kueue: Kueue, profile: Any, env: str, file: str) -> list[dict[str, Any]]:
    known = flavors(profile)
    used: list[str] = []
    objs: list[dict[str, Any]] = []
    for queue in kueue.queues:
        for flavor, _ in queue.quotas:
            if flavor not in known:
                raise InputError(f"{SECTION}.queues.{queue.name}: flavor {flavor!r} is not a GPU model of cluster profile "
                                 f"{profile.name!r} (environment {env}); its flavors: {', '.join(sorted(known))}",
                                 file=file, line=queue.line or None)
            if flavor not in used:
                used.append(flavor)
        objs.append(_object("ClusterQueue", cluster_name(queue.name, env), cluster_queue(queue, env), env))
    for flavor in sorted(used):
        objs.append(_object("ResourceFlavor", cluster_name(flavor, env), known[flavor] or None, env))
    for name, value in kueue.priorities:
        objs.append({"apiVersion": KUEUE_API, "kind": "WorkloadPriorityClass",
                     "metadata": {"name": cluster_name(name, env), "labels": platform_labels(env)},
                     "value": value})
    return objs


def platform_labels(env: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": "kueue-platform", "app.kubernetes.io/instance": f"{UNIT}-{env}",
            "app.kubernetes.io/part-of": f"gitops-{env}", "app.kubernetes.io/managed-by": MANAGED_BY}


def _object(kind: str, name: str, spec: dict[str, Any] | None, env: str) -> dict[str, Any]:
    obj: dict[str, Any] = {"apiVersion": KUEUE_API, "kind": kind, "metadata": {"name": name, "labels": platform_labels(env)}}
    if spec is not None:
        obj["spec"] = spec
    return obj


def environment_kueue(config: Config, env: Any) -> Kueue | None:
    return for_environment(config.sections.get(SECTION), env.settings.get(ENV_SETTING))


def delivery_unit(config: Config, env: Any) -> tuple[str, str, list[dict[str, Any]]] | None:
    """(name, folder, objects) of the environment's Kueue platform objects as one delivery unit
    (an Argo CD Application, a Flux Kustomization), or None without a kueue section."""
    kueue = environment_kueue(config, env)
    if kueue is None or not (kueue.queues or kueue.priorities):
        return None
    objs = platform_objects(kueue, profile_for(config, env), env.name, config.file or "")
    return UNIT, f"{config.generated_dir}/{env.name}/{FOLDER}", objs


def kueue_files(config: Config, targets: list, rendered: list) -> dict[str, str]:
    """generated/<env>/_kueue/: the cluster-scoped Kueue objects of each environment (EXTRA_FILES)."""
    files: dict[str, str] = {}
    for env in config.environments:
        kueue = environment_kueue(config, env)
        if kueue is None:
            continue
        folder = f"{env.name}/{FOLDER}"
        top = (f"# Generated by gitops from gitops.yaml ({SECTION}, environment {env.name}).\n"
               "# Do not edit: change the config and run `gitops synth`.\n")
        names = []
        for obj in platform_objects(kueue, profile_for(config, env), env.name, config.file or ""):
            name = f"{obj['kind'].lower()}-{obj['metadata']['name']}.yaml"
            files[f"{folder}/{name}"] = top + dump(ordered(obj))
            names.append(name)
        if names:
            files[f"{folder}/{KUSTOMIZATION}"] = kustomization(names, top.rstrip("\n"))
    return files
