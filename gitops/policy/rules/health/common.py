"""What the health rules share."""
from __future__ import annotations

from ...api import (
    selects_every_pod,
)

LONG_RUNNING = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod")


REPLICATED = ("Deployment", "StatefulSet", "ReplicationController")


PROBES = ("readinessProbe", "livenessProbe", "startupProbe")


def _probe_port(probe: dict):
    for action in ("httpGet", "tcpSocket", "grpc"):
        handler = probe.get(action)
        if isinstance(handler, dict) and "port" in handler:
            return action, handler["port"]
    return None, None


def _pdbs_for(res, ctx):
    return ctx.selecting("PodDisruptionBudget", res.namespace, ctx.pod_labels(res)) or \
        [pdb for pdb in ctx.in_namespace(res.namespace, "PodDisruptionBudget") if selects_every_pod(pdb)]
