"""LeaderWorkerSet output of a ModelServer (`output="lws"`): each replica is a group of
`multi_node.nodes` pods, a leader that serves and workers that hold the rest of the model.

Read from kubernetes-sigs/lws (`api/leaderworkerset/v1/leaderworkerset_types.go`, the CRD in
`config/crd/bases/`): the controller copies each template's labels onto its pods and adds
`leaderworkerset.sigs.k8s.io/name`, `group-index` and `worker-index` (0 for the leader), and gives
every pod LWS_LEADER_ADDRESS, LWS_GROUP_SIZE and LWS_WORKER_INDEX. The app's Service therefore
selects `worker-index: "0"` besides the app's labels: requests go to leaders only. Workers run
the worker command without ports or probes (they answer no HTTP), but with the same resources,
GPU placement and security context.
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..spec.parts.multi_node import MultiNode
from .context import Target
from .custom import custom_object, metadata_json, template_json
from .kinds.base import build_pdb, meta, service_ports, workload_meta
from .pod import PodExtras, pod_template
from .scaling import build_autoscaler

if TYPE_CHECKING:
    from cdk8s import Chart

    from ..spec.kinds.model_server import ModelServer

API_VERSION = "leaderworkerset.x-k8s.io/v1"
WORKER_INDEX = "leaderworkerset.sigs.k8s.io/worker-index"
# What a worker does not need: it serves no requests, so nothing probes it and nothing routes to it.
WORKER_DROPS = ("ports", "readinessProbe", "livenessProbe", "startupProbe")


def worker_container(leader: dict, multi_node: MultiNode) -> dict:
    """The leader's container (JSON) as a worker runs it."""
    worker = {k: v for k, v in leader.items() if k not in WORKER_DROPS}
    if multi_node.worker_command:
        worker["command"] = list(multi_node.worker_command)
    if multi_node.worker_args or multi_node.worker_command:
        worker.pop("args", None)
    if multi_node.worker_args:
        worker["args"] = list(multi_node.worker_args)
    return worker


def build_leader_worker_set(k8s: ModuleType, chart: Chart, t: Target[ModelServer], extras: PodExtras) -> None:
    app = t.app
    group = app.multi_node
    assert group is not None  # ModelServer requires it for this output
    leader = template_json(k8s, pod_template(k8s, t, spread=True, extras=extras))
    worker = {"metadata": leader["metadata"], "spec": {
        **leader["spec"], "containers": [worker_container(c, group) for c in leader["spec"]["containers"]]}}
    spec: dict[str, Any] = {}
    if app.autoscaling is None:  # an autoscaler owns the group count
        spec["replicas"] = app.replicas
    spec.update({
        "startupPolicy": group.startup,
        # A group is replaced only once its successor serves: the ModelServer keeps max_unavailable 0.
        "rolloutStrategy": {"type": "RollingUpdate", "rollingUpdateConfiguration": {
            "maxUnavailable": app.max_unavailable, "maxSurge": app.max_surge}},
        "leaderWorkerTemplate": {"size": group.nodes, "restartPolicy": group.restart,
                                 "leaderTemplate": leader, "workerTemplate": worker},
    })
    custom_object(chart, "leader-worker-set", API_VERSION, "LeaderWorkerSet", metadata_json(workload_meta(k8s, t)),
                  spec)
    if app.service is not None:
        k8s.KubeService(chart, f"service-{app.name}", metadata=meta(k8s, t), spec=k8s.ServiceSpec(
            type=app.service, selector={**t.selector_labels(), WORKER_INDEX: "0"}, ports=service_ports(k8s, app)))
    if app.autoscaling is not None:
        build_autoscaler(k8s, chart, t, "LeaderWorkerSet", meta(k8s, t), api_version=API_VERSION)
    # One pod down breaks its whole group: a drain takes one pod (so one group) at a time.
    build_pdb(k8s, chart, t)
