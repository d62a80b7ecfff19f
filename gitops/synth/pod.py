"""Pod templates shared by every workload kind, built with the typed cdk8s L1 classes.

One place builds containers, volumes and placement; kinds pass what differs (restart policy,
extra env and volumes, init containers, a subdomain) through `PodExtras`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..spec.parts.env import FromSecret
from ..spec.parts.probe import Probe
from ..spec.parts.resources import Resources
from ..spec.parts.scheduling import HOSTNAME, Toleration
from ..spec.parts.volume import Volume
from ..spec.workload import Workload
from ..spec.values import normalize_memory, parse_quantity
from ..errors import InputError
from .context import Target

TMP_VOLUME = "tmp"


@dataclass(frozen=True)
class PodExtras:
    """What a kind adds to the shared pod template."""

    restart_policy: str | None = None
    env: tuple[Any, ...] = ()  # k8s.EnvVar, appended after the spec's own
    volumes: tuple[Any, ...] = ()  # k8s.Volume
    mounts: tuple[Any, ...] = ()  # k8s.VolumeMount
    init_containers: tuple[Any, ...] = ()  # k8s.Container
    subdomain: str | None = None
    spread: bool = False  # spread replicas over nodes when the spec does not say otherwise
    claim_templates: bool = False  # owned claims come from volumeClaimTemplates (StatefulSet)
    resources: Resources | None = None  # replaces the spec's (e.g. GPUs set by the kind)
    pre_stop: int | tuple[str, ...] | None = None  # seconds to sleep, or a command, before SIGTERM
    termination_grace: int | None = None  # terminationGracePeriodSeconds
    scratch: tuple[str, ...] = ()  # sizes of disk-backed volumes the kind adds (counted in ephemeral-storage)
    pod_annotations: tuple[tuple[str, str], ...] = ()  # what a volume driver needs to see on the pod


# Quantity and IntOrString values are immutable objects on the Node side; each factory call is a
# bridge round trip, so one instance per distinct value is made and shared (a third of all calls).
_SHARED: dict[tuple[str, object], Any] = {}


def quantity(k8s: ModuleType, value: str) -> Any:
    key = ("q", value)
    if key not in _SHARED:
        _SHARED[key] = k8s.Quantity.from_string(value)
    return _SHARED[key]


def int_or_string(k8s: ModuleType, value: int | str) -> Any:
    key = ("i", value)
    if key not in _SHARED:
        _SHARED[key] = (k8s.IntOrString.from_number(value) if isinstance(value, int)
                        else k8s.IntOrString.from_string(value))
    return _SHARED[key]


def quantity_map(k8s: ModuleType, values: dict[str, str]) -> dict[str, Any]:
    return {k: quantity(k8s, v) for k, v in values.items()}


def probe(k8s: ModuleType, spec: Probe | None) -> Any:
    if spec is None:
        return None
    timing = dict(initial_delay_seconds=spec.initial_delay_seconds or None, period_seconds=spec.period_seconds,
                  timeout_seconds=spec.timeout_seconds, failure_threshold=spec.failure_threshold,
                  success_threshold=spec.success_threshold)
    if spec.kind == "http":
        assert spec.port is not None  # Probe.http always sets it
        return k8s.Probe(http_get=k8s.HttpGetAction(path=spec.path, port=int_or_string(k8s, spec.port)), **timing)
    if spec.kind == "tcp":
        assert spec.port is not None  # Probe.tcp always sets it
        return k8s.Probe(tcp_socket=k8s.TcpSocketAction(port=int_or_string(k8s, spec.port)), **timing)
    if spec.kind == "grpc":
        return k8s.Probe(grpc=k8s.GrpcAction(port=spec.port, service=spec.grpc_service), **timing)
    return k8s.Probe(exec=k8s.ExecAction(command=list(spec.command)), **timing)


def env_vars(k8s: ModuleType, env: dict[str, Any]) -> list[Any]:
    out = []
    for name in sorted(env):
        value = env[name]
        if isinstance(value, FromSecret):
            source = k8s.EnvVarSource(secret_key_ref=k8s.SecretKeySelector(
                name=value.name, key=value.key, optional=value.optional or None))
            out.append(k8s.EnvVar(name=name, value_from=source))
        elif not isinstance(value, str):
            source = k8s.EnvVarSource(config_map_key_ref=k8s.ConfigMapKeySelector(
                name=value.name, key=value.key, optional=value.optional or None))
            out.append(k8s.EnvVar(name=name, value_from=source))
        else:
            out.append(k8s.EnvVar(name=name, value=value))
    return out


def field_env(k8s: ModuleType, name: str, field_path: str) -> Any:
    """An env var read from the pod's own metadata (downward API)."""
    return k8s.EnvVar(name=name, value_from=k8s.EnvVarSource(field_ref=k8s.ObjectFieldSelector(field_path=field_path)))


def claim_spec(k8s: ModuleType, t: Target, v: Volume) -> Any:
    """The PersistentVolumeClaimSpec of an owned or ephemeral claim, storage class from the profile."""
    assert v.size is not None  # claims are made only for owned pvcs and ephemeral volumes, which have a size
    return k8s.PersistentVolumeClaimSpec(
        access_modes=list(v.access_modes),
        storage_class_name=v.storage_class or t.cluster.storage_class_for(v.access_modes),
        resources=k8s.VolumeResourceRequirements(requests={"storage": quantity(k8s, v.size)}))


def pod_volume(k8s: ModuleType, t: Target, v: Volume) -> Any:
    if v.source == "config_map":
        return k8s.Volume(name=v.name, config_map=k8s.ConfigMapVolumeSource(name=v.ref))
    if v.source == "secret":
        return k8s.Volume(name=v.name, secret=k8s.SecretVolumeSource(secret_name=v.ref))
    if v.source == "pvc":
        return k8s.Volume(name=v.name, persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource(
            claim_name=v.ref, read_only=v.read_only or None))
    if v.source == "ephemeral":
        return k8s.Volume(name=v.name, ephemeral=k8s.EphemeralVolumeSource(
            volume_claim_template=k8s.PersistentVolumeClaimTemplate(spec=claim_spec(k8s, t, v))))
    if v.source == "nfs":
        # through a PersistentVolume and its claim (synth/storage.py): the restricted Pod Security
        # level allows claims but not inline nfs volumes
        return k8s.Volume(name=v.name, persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource(
            claim_name=v.name, read_only=v.read_only or None))
    size = quantity(k8s, v.size_limit) if v.size_limit else None
    return k8s.Volume(name=v.name, empty_dir=k8s.EmptyDirVolumeSource(medium=v.medium, size_limit=size))


def volumes(k8s: ModuleType, t: Target, claim_templates: bool = False) -> tuple[list[Any], list[Any]]:
    """(pod volumes, container mounts): the app's volumes plus a writable /tmp. With
    claim_templates, owned claims are left to the StatefulSet's volumeClaimTemplates."""
    size = quantity(k8s, t.app.tmp_size)
    pod = [k8s.Volume(name=TMP_VOLUME, empty_dir=k8s.EmptyDirVolumeSource(size_limit=size))]
    mounts = [k8s.VolumeMount(name=TMP_VOLUME, mount_path="/tmp")]
    for v in t.app.volumes:
        if not (claim_templates and v.owned_claim):
            pod.append(pod_volume(k8s, t, v))
        mounts.append(k8s.VolumeMount(name=v.name, mount_path=v.mount_path, read_only=v.read_only or None,
                                      sub_path=v.sub_path))
    return pod, mounts


def security_context(k8s: ModuleType, add: tuple[str, ...] = ()) -> Any:
    return k8s.SecurityContext(allow_privilege_escalation=False, privileged=False, read_only_root_filesystem=True,
                               run_as_non_root=True, capabilities=k8s.Capabilities(drop=["ALL"], add=list(add) or None))


def resource_requirements(k8s: ModuleType, resources: Resources | None, ephemeral: str | None = None) -> Any:
    if resources is None:
        return None
    requests = resources.requests()
    if ephemeral:
        requests["ephemeral-storage"] = ephemeral
    return k8s.ResourceRequirements(requests=quantity_map(k8s, requests), limits=quantity_map(k8s, resources.limits()))


def ephemeral_request(app: Workload, resources: Resources | None, extras: PodExtras) -> str | None:
    """The main container's ephemeral-storage request: what it writes itself (`ephemeral_storage`)
    plus every disk-backed emptyDir of the pod (/tmp, sized scratch volumes, a weights download),
    which the kubelet counts against the pod's share of the node's disk. Only when the spec asks
    for ephemeral storage or the kind adds a download."""
    own = resources.ephemeral_storage if resources is not None else None
    if own is None and not extras.scratch:
        return None
    sizes = [own or "0", app.tmp_size, *extras.scratch]
    sizes += [v.size_limit for v in app.volumes if v.source == "empty_dir" and v.medium is None and v.size_limit]
    return normalize_memory(int(sum(parse_quantity(size) for size in sizes)))


def service_account_name(app: Workload) -> str | None:
    """The ServiceAccount the pods run as: the app's own, an existing one the spec names, or none."""
    if isinstance(app.service_account, str):
        return app.service_account
    return app.name if app.service_account else None


def lifecycle(k8s: ModuleType, stop: int | tuple[str, ...] | None) -> Any:
    if stop is None:
        return None
    if isinstance(stop, int):
        return k8s.Lifecycle(pre_stop=k8s.LifecycleHandler(sleep=k8s.SleepAction(seconds=stop)))
    return k8s.Lifecycle(pre_stop=k8s.LifecycleHandler(exec=k8s.ExecAction(command=list(stop))))


def container(k8s: ModuleType, t: Target, mounts: list[Any], extras: PodExtras = PodExtras()) -> Any:
    app = t.app
    readiness, liveness, startup = app.probes()
    env_from = [k8s.EnvFromSource(config_map_ref=k8s.ConfigMapEnvSource(name=app.name))] if app.config else None
    ports = getattr(app, "ports", ())
    return k8s.Container(
        name=app.name,
        image=app.image,
        # An explicit policy: tags can move, so a pinned digest is the only way to skip the pull.
        image_pull_policy="IfNotPresent" if app.image_ref.digest else "Always",
        command=list(app.command) or None,
        args=list(app.args) or None,
        ports=[k8s.ContainerPort(name=p.name, container_port=p.port, protocol=p.protocol) for p in ports] or None,
        env=(env_vars(k8s, dict(app.env)) + list(extras.env)) or None,
        env_from=env_from,
        resources=resource_requirements(k8s, extras.resources or app.resources,
                                        ephemeral_request(app, extras.resources or app.resources, extras)),
        readiness_probe=probe(k8s, readiness),
        liveness_probe=probe(k8s, liveness),
        startup_probe=probe(k8s, startup),
        volume_mounts=mounts,
        security_context=security_context(k8s, app.capabilities),
        lifecycle=lifecycle(k8s, app.pre_stop if app.pre_stop is not None else extras.pre_stop),
    )


def config_checksum(app: Workload) -> str | None:
    """Hash of the app's ConfigMap data: changing the config rolls the pods."""
    if not app.config:
        return None
    return hashlib.sha256(json.dumps(dict(app.config), sort_keys=True).encode()).hexdigest()[:16]


def uses_gpu(app: Workload, resources: Resources | None = None) -> bool:
    resources = resources or app.resources
    return bool(resources is not None and resources.gpu)


def placement(k8s: ModuleType, t: Target, spread: bool, gpu: bool) -> dict[str, Any]:
    """PodSpec fields for where pods run: the spec's scheduling plus GPU placement from the profile."""
    s = t.app.scheduling
    profile = t.cluster
    node_selector = dict(s.node_selector) if s else {}
    required = dict(s.node_affinity) if s else {}
    tolerations: list[Toleration] = list(s.tolerations) if s else []
    if gpu:
        # GPU nodes are tainted so other pods stay off them; GPU pods tolerate the taint and ask
        # for a GPU node, in the way this cluster labels them.
        gpu_placement_conflict(t, node_selector, required)
        if profile.gpu_node_value is not None:
            node_selector.setdefault(profile.gpu_node_label, profile.gpu_node_value)
        else:
            required.setdefault(profile.gpu_node_label, ())
        toleration = profile.gpu_toleration()
        if toleration not in tolerations:
            tolerations.append(toleration)
    selector = t.selector_labels()
    affinity = _affinity(k8s, required, dict(s.prefer_nodes) if s else {}, s.anti_affinity if s else None,
                         s.colocate_with if s else (), selector, t)
    keys = s.spread if s and s.spread is not None else ((HOSTNAME,) if spread else ())
    # Spread replicas so one node (or zone) failure takes out at most a share of them.
    constraints = [k8s.TopologySpreadConstraint(max_skew=1, topology_key=key, when_unsatisfiable="ScheduleAnyway",
                                                label_selector=k8s.LabelSelector(match_labels=selector)) for key in keys]
    return dict(
        node_selector=dict(sorted(node_selector.items())) or None,
        affinity=affinity,
        tolerations=[k8s.Toleration(**tol.as_dict()) for tol in tolerations] or None,
        topology_spread_constraints=constraints or None,
        priority_class_name=s.priority_class if s else None,
    )


def gpu_placement_conflict(t: Target, node_selector: dict, required: dict) -> None:
    """A spec that selects GPU nodes by the profile's own label, with a value the profile does not
    give them, would never be scheduled (no node has both): an error, not a silent merge."""
    profile = t.cluster
    label, value = profile.gpu_node_label, profile.gpu_node_value
    mine = node_selector.get(label)
    wanted = required.get(label)
    why = None
    if value is not None and mine is not None and mine != value:
        why = f"scheduling.node_selector[{label!r}]: got {mine!r}, but GPU nodes of cluster profile " \
              f"{profile.name!r} carry {label}={value}"
    elif value is not None and wanted and value not in wanted:
        why = f"scheduling.node_affinity[{label!r}]: got {list(wanted)}, but GPU nodes of cluster profile " \
              f"{profile.name!r} carry {label}={value}"
    if why:
        raise InputError(f"app {t.name!r}, environment {t.env!r}: {why}; no node would match both. Leave the label "
                         "out (gitops adds it), or choose the profile of those nodes with cluster=",
                         file=t.spec_file, line=t.spec_line)


def _requirement(k8s: ModuleType, key: str, values: tuple[str, ...]) -> Any:
    if not values:
        return k8s.NodeSelectorRequirement(key=key, operator="Exists")
    return k8s.NodeSelectorRequirement(key=key, operator="In", values=list(values))


def _affinity(k8s: ModuleType, required: dict, preferred: dict, anti: str | None, colocate: tuple[str, ...],
              selector: dict[str, str], t: Target) -> Any:
    node = None
    if required or preferred:
        node = k8s.NodeAffinity(
            required_during_scheduling_ignored_during_execution=k8s.NodeSelector(node_selector_terms=[
                k8s.NodeSelectorTerm(match_expressions=[_requirement(k8s, k, v) for k, v in sorted(required.items())])])
            if required else None,
            preferred_during_scheduling_ignored_during_execution=[
                k8s.PreferredSchedulingTerm(weight=50, preference=k8s.NodeSelectorTerm(
                    match_expressions=[_requirement(k8s, k, v)])) for k, v in sorted(preferred.items())] or None)
    pod_anti = None
    if anti:
        term = k8s.PodAffinityTerm(topology_key=HOSTNAME, label_selector=k8s.LabelSelector(match_labels=selector))
        pod_anti = k8s.PodAntiAffinity(
            required_during_scheduling_ignored_during_execution=[term] if anti == "required" else None,
            preferred_during_scheduling_ignored_during_execution=[k8s.WeightedPodAffinityTerm(
                weight=100, pod_affinity_term=term)] if anti == "preferred" else None)
    pod_aff = None
    if colocate:
        pod_aff = k8s.PodAffinity(preferred_during_scheduling_ignored_during_execution=[
            k8s.WeightedPodAffinityTerm(weight=50, pod_affinity_term=k8s.PodAffinityTerm(
                topology_key=HOSTNAME, label_selector=k8s.LabelSelector(
                    match_labels={"app.kubernetes.io/name": other, "app.kubernetes.io/instance": f"{other}-{t.env}"})))
            for other in sorted(colocate)])
    if not (node or pod_anti or pod_aff):
        return None
    return k8s.Affinity(node_affinity=node, pod_anti_affinity=pod_anti, pod_affinity=pod_aff)


def secret_sources(app: Workload) -> str | None:
    """`Kind/name` of each ExternalSecret or SealedSecret the app's secrets come from, for reviewers."""
    found = {f"{v.provider}/{v.name}" for v in app.env.values() if isinstance(v, FromSecret) and v.provider}
    found |= {f"{v.provider}/{v.ref}" for v in app.volumes if v.source == "secret" and v.provider}
    weights = getattr(app, "weights", None)
    if weights is not None:
        found |= {f"{v.provider}/{v.name}" for v in weights.env.values() if isinstance(v, FromSecret) and v.provider}
    return ",".join(sorted(found)) or None


def pod_spec(k8s: ModuleType, t: Target, extras: PodExtras = PodExtras()) -> Any:
    app = t.app
    pod_volumes, mounts = volumes(k8s, t, extras.claim_templates)
    resources = extras.resources or app.resources
    return k8s.PodSpec(
        service_account_name=service_account_name(app),
        automount_service_account_token=app.mount_service_account_token,
        restart_policy=extras.restart_policy,
        subdomain=extras.subdomain,
        termination_grace_period_seconds=app.termination_grace_seconds if app.termination_grace_seconds is not None
        else extras.termination_grace,
        security_context=k8s.PodSecurityContext(
            run_as_non_root=True, run_as_user=app.run_as_user, run_as_group=app.run_as_user,
            fs_group=app.run_as_user, fs_group_change_policy=app.fs_group_change_policy,
            seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault")),
        init_containers=list(extras.init_containers) or None,
        containers=[container(k8s, t, mounts + list(extras.mounts), extras)],
        volumes=pod_volumes + list(extras.volumes),
        **placement(k8s, t, extras.spread, uses_gpu(app, resources)),
    )


def pod_template(k8s: ModuleType, t: Target, spread: bool = False, extras: PodExtras | None = None) -> Any:
    extras = dataclasses.replace(extras or PodExtras(), spread=spread or (extras.spread if extras else False))
    annotations = dict(extras.pod_annotations)
    if h := config_checksum(t.app):
        annotations["gitops.dev/config-hash"] = h
    return k8s.PodTemplateSpec(metadata=k8s.ObjectMeta(labels=t.workload_labels(), annotations=annotations or None),
                               spec=pod_spec(k8s, t, extras))
