"""When Argo CD (and Flux's kstatus) call an object healthy, and what it needs from other objects first.

Modelled on gitops-engine `pkg/health/*.go` and Argo CD's `resource_customizations/*/health.lua`
(sources in docs/sync-plan.md):

- Deployment, StatefulSet, DaemonSet, ReplicaSet: healthy when the rollout is done, i.e. their pods
  are ready; a paused Deployment is Suspended, which a sync never gets past.
- Job: healthy when Complete (Progressing while it runs, Degraded when Failed, Suspended when
  `suspend: true`). CronJob (Lua): healthy until a run fails.
- PersistentVolumeClaim: healthy when Bound. A claim of a `WaitForFirstConsumer` class binds only
  once a pod that mounts it is scheduled.
- Service: healthy, except type LoadBalancer: only once the load balancer has an address.
- Ingress: healthy once the ingress controller publishes an address.
- HorizontalPodAutoscaler: healthy once AbleToScale; Degraded (FailedGetScale) while its target is missing.
- KEDA ScaledObject and ScaledJob (Lua, `resource_customizations/keda.sh/*/health.lua`): healthy when
  the Ready condition is True, Degraded when False, which KEDA sets while the scale target or a
  TriggerAuthentication it names is missing.
- A Job or JobSet queued by Kueue (label `kueue.x-k8s.io/queue-name`) and written suspended is not
  stuck: Kueue resumes it once admitted (the rule kueue-quota-exceeded says when it never is).
  JobSet, TrainJob and Kueue's own kinds have no health check in Argo CD: healthy once applied.
- PodDisruptionBudget (Lua): healthy when the DisruptionAllowed condition is True, Degraded when
  False, which is the case while its pods are not ready and whenever it allows no disruption.
- Every other kind (ConfigMap, Secret, custom resources without a health check): healthy once applied.

A pod becomes ready only when what it references exists: its service account, config maps and
secrets (unless optional), claims, priority and runtime classes. A Job's pods also reach each
other by DNS: the headless Service named by `subdomain`, or any Service of the set named in an
environment value (`MASTER_ADDR`), must exist for the Job to complete.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from ..manifests.resource import Resource
from ..policy.api import as_map, items, pod_spec, pod_template_labels, quantity, selector_matches

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod")
# Kinds whose pods (made by their controller) may mount a claim: its first consumer.
CONSUMERS = WORKLOADS + ("CronJob", "JobSet", "ScaledJob")
WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer"
IMMEDIATE = "Immediate"

# Binding modes of storage classes that managed clusters create themselves (docs/sync-plan.md
# names the provider pages). A class not listed and not in the set is unknown.
KNOWN_CLASSES = {
    # GKE: Compute Engine persistent disk CSI and Filestore CSI classes
    "standard-rwo": WAIT_FOR_FIRST_CONSUMER, "premium-rwo": WAIT_FOR_FIRST_CONSUMER,
    "standard-rwx": WAIT_FOR_FIRST_CONSUMER, "premium-rwx": WAIT_FOR_FIRST_CONSUMER,
    "enterprise-rwx": WAIT_FOR_FIRST_CONSUMER, "enterprise-multishare-rwx": WAIT_FOR_FIRST_CONSUMER,
    # EKS: the gp2 class every cluster gets
    "gp2": WAIT_FOR_FIRST_CONSUMER,
    # AKS: managed disk classes bind on first consumer, Azure Files at once
    "managed-csi": WAIT_FOR_FIRST_CONSUMER, "managed-csi-premium": WAIT_FOR_FIRST_CONSUMER,
    "managed": WAIT_FOR_FIRST_CONSUMER, "managed-premium": WAIT_FOR_FIRST_CONSUMER,
    "azurefile-csi": IMMEDIATE, "azurefile-csi-premium": IMMEDIATE,
    # k3s, kind and Rancher's local-path provisioner
    "local-path": WAIT_FOR_FIRST_CONSUMER,
}
# The default class of GKE (standard-rwo), EKS (gp2) and AKS (managed-csi) binds on first consumer.
DEFAULT_CLASS_MODE = WAIT_FOR_FIRST_CONSUMER

# <service>.<namespace>.svc, optionally behind a pod's hostname (pod-0.<service>.<namespace>.svc)
_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_HOST = re.compile(rf"(?<![\w.-])(?:{_LABEL}\.)?({_LABEL})\.({_LABEL})\.svc\b")


@dataclass(frozen=True)
class Need:
    """`kind/name` (in the object's namespace unless cluster-scoped) must exist, for `why`."""

    kind: str
    name: str
    namespace: str
    why: str


def _named(kind: str, name: Any, namespace: str, why: str) -> Iterator[Need]:
    if isinstance(name, str) and name:
        yield Need(kind, name, namespace, why)


QUEUE_LABEL = "kueue.x-k8s.io/queue-name"


def pod_needs(res: Resource, namespace: str) -> Iterator[Need]:
    """What the pods of a workload reference and cannot start without."""
    spec, _ = pod_spec(res)
    if spec is None:
        return
    yield from pod_spec_needs(spec, namespace)


def pod_spec_needs(spec: dict, namespace: str) -> Iterator[Need]:
    """What a pod spec references and cannot start without."""
    account = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if account != "default":
        yield from _named("ServiceAccount", account, namespace, "its pods run as this service account")
    yield from _named("PriorityClass", spec.get("priorityClassName"), "", "its pods name this priority class")
    yield from _named("RuntimeClass", spec.get("runtimeClassName"), "", "its pods name this runtime class")
    for _, vol in items(spec.get("volumes")):
        yield from _volume_needs(vol, namespace)
    for key in ("containers", "initContainers"):
        for _, container in items(spec.get(key)):
            yield from _container_needs(container, namespace)


def _optional(ref: Any) -> bool:
    return bool(as_map(ref).get("optional"))


def _volume_needs(vol: dict, namespace: str) -> Iterator[Need]:
    claim = as_map(vol.get("persistentVolumeClaim"))
    yield from _named("PersistentVolumeClaim", claim.get("claimName"), namespace, "its pods mount this claim")
    config = as_map(vol.get("configMap"))
    if not _optional(config):
        yield from _named("ConfigMap", config.get("name"), namespace, "its pods mount this config map")
    secret = as_map(vol.get("secret"))
    if not _optional(secret):
        yield from _named("Secret", secret.get("secretName"), namespace, "its pods mount this secret")
    for _, source in items(as_map(vol.get("projected")).get("sources")):
        for kind, key in (("ConfigMap", "configMap"), ("Secret", "secret")):
            ref = as_map(source.get(key))
            if not _optional(ref):
                yield from _named(kind, ref.get("name"), namespace, f"its pods mount this {kind.lower()}")


def _container_needs(container: dict, namespace: str) -> Iterator[Need]:
    for _, source in items(container.get("envFrom")):
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = as_map(source.get(key))
            if ref and not _optional(ref):
                yield from _named(kind, ref.get("name"), namespace, f"its containers read this {kind.lower()}")
    for _, env in items(container.get("env")):
        source = as_map(env.get("valueFrom"))
        for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
            ref = as_map(source.get(key))
            if ref and not _optional(ref):
                yield from _named(kind, ref.get("name"), namespace, f"its containers read this {kind.lower()}")


def job_peer_needs(res: Resource, namespace: str) -> Iterator[Need]:
    """Services a Job's pods must resolve to finish: `subdomain`, and Services named in env values."""
    spec, _ = pod_spec(res)
    if spec is None:
        return
    yield from _named("Service", spec.get("subdomain"), namespace,
                      "its pods find each other through this headless Service (subdomain)")
    for key in ("containers", "initContainers"):
        for _, container in items(spec.get(key)):
            for _, env in items(container.get("env")):
                value = env.get("value")
                if not isinstance(value, str):
                    continue
                for match in _HOST.finditer(value):
                    name, ns = match.group(1), match.group(2)
                    yield Need("Service", name, ns, f"its containers connect to {match.group(0)} "
                               f"({env.get('name')})")
                    break


def pod_specs(res: Resource) -> list[dict]:
    """The pod specs of a workload, or of the pods a JobSet or KEDA ScaledJob makes."""
    spec = as_map(res.obj.get("spec"))
    if res.kind == "JobSet":
        return [as_map(as_map(as_map(as_map(as_map(r.get("template")).get("spec")).get("template")).get("spec")))
                for _, r in items(spec.get("replicatedJobs"))]
    if res.kind == "ScaledJob":
        return [as_map(as_map(as_map(spec.get("jobTargetRef")).get("template")).get("spec"))]
    found, _ = pod_spec(res)
    return [found] if found is not None else []


def claim_names(res: Resource) -> set[str]:
    """The claims a workload's pods mount (StatefulSet claim templates are their own)."""
    return {str(as_map(v.get("persistentVolumeClaim")).get("claimName")) for spec in pod_specs(res)
            for _, v in items(spec.get("volumes")) if as_map(v.get("persistentVolumeClaim")).get("claimName")}


def binding_mode(claim: Resource, classes: dict[str, str]) -> tuple[str | None, str]:
    """(mode, class) of a claim: from StorageClasses in the set or the cluster, else the known
    provider classes; None when unknown. A claim with `volumeName` binds to that volume at once."""
    spec = as_map(claim.obj.get("spec"))
    name = spec.get("storageClassName")
    if spec.get("volumeName"):
        return IMMEDIATE, str(name or "")
    if name is None:
        return classes.get("", DEFAULT_CLASS_MODE), "(default)"
    name = str(name)
    if name == "":
        return IMMEDIATE, '""'  # no class: binds to a pre-made volume
    mode = classes.get(name) or KNOWN_CLASSES.get(name)
    return mode, name


def storage_classes(resources: list[Resource]) -> dict[str, str]:
    """Binding modes of the StorageClasses in the set ("" for the one marked default)."""
    out: dict[str, str] = {}
    for res in resources:
        if res.kind == "StorageClass" and res.name:
            mode = res.obj.get("volumeBindingMode") or IMMEDIATE
            out[res.name] = str(mode)
            notes = as_map(res.metadata.get("annotations"))
            if notes.get("storageclass.kubernetes.io/is-default-class") == "true":
                out[""] = str(mode)
    return out


def inventory_classes(profile: Any) -> dict[str, str]:
    """Binding modes of the storage classes a cluster profile's inventory lists ("" for its default);
    empty when the profile has no inventory (then the known provider classes apply)."""
    inventory = getattr(profile, "inventory", None)
    out: dict[str, str] = {}
    for sc in getattr(inventory, "storage_classes", None) or ():
        out[str(sc.name)] = str(sc.binding_mode)
        if getattr(sc, "default", False):
            out[""] = str(sc.binding_mode)
    return out


def never_healthy(res: Resource, replicas_of: dict[tuple[str, str], int]) -> str | None:
    """Why Argo CD can never call `res` healthy on its own, or None."""
    spec = as_map(res.obj.get("spec"))
    if res.kind == "Deployment" and spec.get("paused") is True:
        return "a paused Deployment is Suspended, never Healthy"
    if res.kind in ("Job", "JobSet") and spec.get("suspend") is True:
        if QUEUE_LABEL in as_map(as_map(res.obj.get("metadata")).get("labels")):
            return None  # Kueue resumes it once it admits it
        return f"a suspended {res.kind} never completes"
    if res.kind == "PodDisruptionBudget":
        return _pdb_blocks_all(spec, replicas_of)
    return None


def _pdb_blocks_all(spec: dict, replicas_of: dict[tuple[str, str], int]) -> str | None:
    """A budget that allows no disruption keeps DisruptionAllowed False: Argo CD reports it Degraded."""
    unavailable = spec.get("maxUnavailable")
    if unavailable in (0, "0", "0%"):
        return "maxUnavailable 0 allows no disruption, so DisruptionAllowed stays False (Degraded)"
    available = spec.get("minAvailable")
    if available == "100%":
        return "minAvailable 100% allows no disruption, so DisruptionAllowed stays False (Degraded)"
    if isinstance(available, int) and not isinstance(available, bool) and replicas_of:
        most = max(replicas_of.values())
        if available >= most:
            return (f"minAvailable {available} with {most} replica(s) allows no disruption, "
                    "so DisruptionAllowed stays False (Degraded)")
    return None


def load_balancer(res: Resource) -> bool:
    return res.kind == "Service" and as_map(res.obj.get("spec")).get("type") == "LoadBalancer"


def pod_labels(res: Resource) -> dict:
    return pod_template_labels(res)


def selects(selector: Any, res: Resource) -> bool:
    return selector_matches(selector, pod_template_labels(res))


def replicas(res: Resource) -> int:
    value = as_map(res.obj.get("spec")).get("replicas", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def size(claim: Resource) -> str:
    """The storage a claim requests, as written ("500Gi"), or "" when absent."""
    value = as_map(as_map(as_map(claim.obj.get("spec")).get("resources")).get("requests")).get("storage")
    return str(value) if value is not None and quantity(value) is not None else ""


def keda_needs(res: Resource, namespace: str) -> Iterator[Need]:
    """A ScaledObject's target and the TriggerAuthentications its triggers name (KEDA reports it
    not Ready while one is missing); a ScaledJob's too, and what its Jobs' pods reference."""
    spec = as_map(res.obj.get("spec"))
    if res.kind == "ScaledObject":
        target = as_map(spec.get("scaleTargetRef"))
        yield from _named(str(target.get("kind") or "Deployment"), target.get("name"), namespace,
                          "it scales this object (KEDA reports it not Ready while the target is missing)")
    for _, trigger in items(spec.get("triggers")):
        ref = as_map(trigger.get("authenticationRef"))
        kind = str(ref.get("kind") or "TriggerAuthentication")
        yield from _named(kind, ref.get("name"), "" if kind == "ClusterTriggerAuthentication" else namespace,
                          f"its {trigger.get('type')} trigger authenticates with it")
