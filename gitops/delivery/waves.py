"""Sync waves inside one app: the order Argo CD applies an app's own objects in.

One table, by kind. Argo CD applies a wave and waits for it to be healthy before the next one
(docs/sync-plan.md), so the table must never put an object before something it needs to become
healthy:

- the namespace, identity and config come first (healthy once applied);
- Services come before workloads: a training Job's pods find each other through its headless
  Service, and a running Job is not healthy until it finishes, so a Service after it would never
  be created;
- claims share the workloads' wave: a claim of a `WaitForFirstConsumer` class stays Pending (not
  healthy) until a pod mounts it, so a claim in an earlier wave would wait for ever;
- Ingress, autoscaler (an HPA or a KEDA ScaledObject) and disruption budget come last, after workloads that are ready; being the
  last wave, Argo CD does not wait for them (a budget is Degraded while its pods are not ready).

Kinds not in the table go with the workloads. Waves across apps (from `depends_on`) are set on the
Applications instead (argocd.py). `gitops sync-plan` replays these waves.
"""
from __future__ import annotations

from typing import Any

WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"
WORKLOAD_WAVE = 4
LAST_WAVE = 5

WAVES_BY_KIND = {
    "Namespace": 0,
    "ServiceAccount": 1,
    "Role": 1,
    "RoleBinding": 1,
    "ConfigMap": 2,
    "Secret": 2,
    "TriggerAuthentication": 2,  # KEDA: what a ScaledObject authenticates with
    "LocalQueue": 2,  # Kueue: the queue a Job of the app waits in
    "ExternalSecret": 2,  # makes the Secret the pods read: before them, like a Secret
    "Service": 3,
    "PersistentVolume": WORKLOAD_WAVE,
    "PersistentVolumeClaim": WORKLOAD_WAVE,
    "Deployment": WORKLOAD_WAVE,
    "StatefulSet": WORKLOAD_WAVE,
    "DaemonSet": WORKLOAD_WAVE,
    "Job": WORKLOAD_WAVE,
    "CronJob": WORKLOAD_WAVE,
    "Ingress": LAST_WAVE,
    "HorizontalPodAutoscaler": LAST_WAVE,
    "ScaledObject": LAST_WAVE,  # KEDA: Degraded while its target is missing, like an HPA
    "PodDisruptionBudget": LAST_WAVE,
}


def wave_of(kind: str) -> int:
    return WAVES_BY_KIND.get(kind, WORKLOAD_WAVE)


def with_wave(obj: dict[str, Any]) -> dict[str, Any]:
    """A copy of `obj` carrying its in-app wave; an annotation the spec set itself is kept."""
    metadata = dict(obj.get("metadata") or {})
    annotations = dict(metadata.get("annotations") or {})
    annotations.setdefault(WAVE_ANNOTATION, str(wave_of(str(obj.get("kind", "")))))
    metadata["annotations"] = annotations
    return {**obj, "metadata": metadata}
