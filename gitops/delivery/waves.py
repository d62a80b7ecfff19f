"""Sync waves inside one app: the order Argo CD applies an app's own objects in.

One table, by kind. Argo CD applies a wave and waits for it to be healthy before the next one, so
a Deployment only rolls out once its namespace, identity, config and storage exist, and the
Service, Ingress and autoscaler follow workloads that are ready. Kinds not in the table go with the
workloads. Waves across apps (from `depends_on`) are set on the Applications instead (argocd.py).
"""
from __future__ import annotations

from typing import Any

WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"
WORKLOAD_WAVE = 4

WAVES_BY_KIND = {
    "Namespace": 0,
    "ServiceAccount": 1,
    "Role": 1,
    "RoleBinding": 1,
    "ConfigMap": 2,
    "Secret": 2,
    "PersistentVolume": 3,  # with the claim bound to it (Argo CD applies PersistentVolume first)
    "PersistentVolumeClaim": 3,
    "Deployment": WORKLOAD_WAVE,
    "StatefulSet": WORKLOAD_WAVE,
    "DaemonSet": WORKLOAD_WAVE,
    "Job": WORKLOAD_WAVE,
    "CronJob": WORKLOAD_WAVE,
    "Service": 5,
    "Ingress": 6,
    "HorizontalPodAutoscaler": 7,
    "PodDisruptionBudget": 7,
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
