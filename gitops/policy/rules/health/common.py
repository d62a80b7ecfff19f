"""What the health rules share."""
from __future__ import annotations

LONG_RUNNING = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod")


REPLICATED = ("Deployment", "StatefulSet")


PROBES = ("readinessProbe", "livenessProbe", "startupProbe")


def _probe_port(probe: dict):
    for action in ("httpGet", "tcpSocket", "grpc"):
        handler = probe.get(action)
        if isinstance(handler, dict) and "port" in handler:
            return action, handler["port"]
    return None, None


def _pdbs_for(res, ctx):
    return ctx.selecting("PodDisruptionBudget", res.namespace, ctx.pod_labels(res))
