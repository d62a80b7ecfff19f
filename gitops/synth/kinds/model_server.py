"""ModelServer -> a Service's objects, with the weights (a read-only claim, or an emptyDir an init
container fills first), a graceful shutdown (leave the endpoints, then drain) and a PDB at any scale."""
from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import TYPE_CHECKING

from ...spec.parts.resources import Resources
from ..context import Target
from ..pod import TMP_VOLUME, PodExtras, env_vars, quantity, resource_requirements, security_context
from ..weights import bucket_extras, build_bucket_claim
from .base import meta
from .service import build_deployment

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.model_server import ModelServer

WEIGHTS_VOLUME = "model-weights"


def build(k8s: ModuleType, chart: Chart, t: Target[ModelServer]) -> None:
    # A model server's capacity is slow to come back: a drain or node-pool upgrade never takes two
    # loaded replicas at once, whatever the replica count an autoscaler picks.
    build_bucket_claim(k8s, chart, t, WEIGHTS_VOLUME, meta)
    build_deployment(k8s, chart, t, extras=server_extras(k8s, t), always_pdb=True)


def server_extras(k8s: ModuleType, t: Target[ModelServer]) -> PodExtras:
    """A ModelServer's shutdown (leave the endpoints, then drain) and its weights."""
    stop, grace = t.app.shutdown()
    return dataclasses.replace(weights_extras(k8s, t), pre_stop=stop, termination_grace=grace)


def weights_extras(k8s: ModuleType, t: Target[ModelServer]) -> PodExtras:
    """A ModelServer's weights: a read-only claim, or an emptyDir an init container fills first."""
    weights = t.app.weights
    if weights is None:
        return PodExtras()
    mount = k8s.VolumeMount(name=WEIGHTS_VOLUME, mount_path=weights.mount_path, read_only=True,
                            sub_path=weights.sub_path)
    if weights.source == "pvc":
        volume = k8s.Volume(name=WEIGHTS_VOLUME, persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource(
            claim_name=weights.claim, read_only=True))
        return PodExtras(volumes=(volume,), mounts=(mount,))
    if weights.source in ("gcs", "s3"):
        return bucket_extras(k8s, t, WEIGHTS_VOLUME, mount)
    volume = k8s.Volume(name=WEIGHTS_VOLUME, empty_dir=k8s.EmptyDirVolumeSource(
        size_limit=quantity(k8s, weights.size)))
    res = weights.resources or (Resources(cpu=t.app.resources.cpu, memory=t.app.resources.memory)
                                if t.app.resources else None)
    fetch = k8s.Container(
        name="fetch-weights", image=weights.image, command=list(weights.command), args=list(weights.args) or None,
        image_pull_policy="Always", env=env_vars(k8s, dict(weights.env)) or None,
        # The download needs CPU and memory (the spec's own, else the server's) but never the GPU.
        resources=resource_requirements(k8s, res),
        volume_mounts=[k8s.VolumeMount(name=WEIGHTS_VOLUME, mount_path=weights.mount_path),
                       k8s.VolumeMount(name=TMP_VOLUME, mount_path="/tmp")],
        security_context=security_context(k8s))
    # the download fills node disk: counted in the server's ephemeral-storage request
    return PodExtras(volumes=(volume,), mounts=(mount,), init_containers=(fetch,), scratch=(weights.size,))
