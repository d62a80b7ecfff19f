"""Pod templates shared by every workload kind, built with the typed cdk8s L1 classes."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from ..spec.model import FromSecret, Probe
from .context import Target

TMP_VOLUME = "tmp"


# Quantity and IntOrString values are immutable objects on the Node side; each factory call is a
# bridge round trip, so one instance per distinct value is made and shared (a third of all calls).
_SHARED: dict[tuple[str, object], Any] = {}


def quantity(k8s: Any, value: str) -> Any:
    key = ("q", value)
    if key not in _SHARED:
        _SHARED[key] = k8s.Quantity.from_string(value)
    return _SHARED[key]


def int_or_string(k8s: Any, value: int | str) -> Any:
    key = ("i", value)
    if key not in _SHARED:
        _SHARED[key] = (k8s.IntOrString.from_number(value) if isinstance(value, int)
                        else k8s.IntOrString.from_string(value))
    return _SHARED[key]


def quantity_map(k8s: Any, values: dict[str, str]) -> dict[str, Any]:
    return {k: quantity(k8s, v) for k, v in values.items()}


def probe(k8s: Any, spec: Probe | None) -> Any:
    if spec is None:
        return None
    timing = dict(initial_delay_seconds=spec.initial_delay_seconds or None, period_seconds=spec.period_seconds,
                  timeout_seconds=spec.timeout_seconds, failure_threshold=spec.failure_threshold,
                  success_threshold=spec.success_threshold)
    if spec.kind == "http":
        return k8s.Probe(http_get=k8s.HttpGetAction(path=spec.path, port=int_or_string(k8s, spec.port)), **timing)
    if spec.kind == "tcp":
        return k8s.Probe(tcp_socket=k8s.TcpSocketAction(port=int_or_string(k8s, spec.port)), **timing)
    if spec.kind == "grpc":
        return k8s.Probe(grpc=k8s.GrpcAction(port=spec.port, service=spec.grpc_service), **timing)
    return k8s.Probe(exec=k8s.ExecAction(command=list(spec.command)), **timing)


def env_vars(k8s: Any, env: dict[str, Any]) -> list[Any] | None:
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
    return out or None


def volumes(k8s: Any, app: Any) -> tuple[list[Any], list[Any]]:
    """(pod volumes, container mounts): the app's volumes plus a writable /tmp."""
    pod = [k8s.Volume(name=TMP_VOLUME, empty_dir=k8s.EmptyDirVolumeSource(size_limit=quantity(k8s, "256Mi")))]
    mounts = [k8s.VolumeMount(name=TMP_VOLUME, mount_path="/tmp")]
    for v in app.volumes:
        if v.source == "config_map":
            pod.append(k8s.Volume(name=v.name, config_map=k8s.ConfigMapVolumeSource(name=v.ref)))
        elif v.source == "secret":
            pod.append(k8s.Volume(name=v.name, secret=k8s.SecretVolumeSource(secret_name=v.ref)))
        elif v.source == "pvc":
            pod.append(k8s.Volume(name=v.name, persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource(
                claim_name=v.ref, read_only=v.read_only or None)))
        else:
            size = quantity(k8s, v.size_limit) if v.size_limit else None
            pod.append(k8s.Volume(name=v.name, empty_dir=k8s.EmptyDirVolumeSource(medium=v.medium, size_limit=size)))
        mounts.append(k8s.VolumeMount(name=v.name, mount_path=v.mount_path, read_only=v.read_only or None,
                                      sub_path=v.sub_path))
    return pod, mounts


def container(k8s: Any, t: Target, mounts: list[Any]) -> Any:
    app = t.app
    resources = None
    if app.resources is not None:
        resources = k8s.ResourceRequirements(requests=quantity_map(k8s, app.resources.requests()),
                                             limits=quantity_map(k8s, app.resources.limits()))
    env_from = [k8s.EnvFromSource(config_map_ref=k8s.ConfigMapEnvSource(name=app.name))] if app.config else None
    return k8s.Container(
        name=app.name,
        image=app.image,
        # An explicit policy: tags can move, so a pinned digest is the only way to skip the pull.
        image_pull_policy="IfNotPresent" if app.image_ref.digest else "Always",
        command=list(app.command) or None,
        args=list(app.args) or None,
        ports=[k8s.ContainerPort(name=p.name, container_port=p.port, protocol=p.protocol) for p in app.ports] or None,
        env=env_vars(k8s, dict(app.env)),
        env_from=env_from,
        resources=resources,
        readiness_probe=probe(k8s, app.readiness),
        liveness_probe=probe(k8s, app.liveness),
        startup_probe=probe(k8s, app.startup),
        volume_mounts=mounts,
        security_context=k8s.SecurityContext(
            allow_privilege_escalation=False, privileged=False, read_only_root_filesystem=True,
            run_as_non_root=True, capabilities=k8s.Capabilities(drop=["ALL"])),
    )


def config_checksum(app: Any) -> str | None:
    """Hash of the app's ConfigMap data: changing the config rolls the pods."""
    if not app.config:
        return None
    return hashlib.sha256(json.dumps(dict(app.config), sort_keys=True).encode()).hexdigest()[:16]


def pod_template(k8s: Any, t: Target, spread: bool) -> Any:
    app = t.app
    pod_volumes, mounts = volumes(k8s, app)
    annotations = {"gitops.dev/config-hash": h} if (h := config_checksum(app)) else None
    spread_constraints = None
    if spread:
        # Spread replicas over nodes so one node failure takes out at most a share of them.
        spread_constraints = [k8s.TopologySpreadConstraint(
            max_skew=1, topology_key="kubernetes.io/hostname", when_unsatisfiable="ScheduleAnyway",
            label_selector=k8s.LabelSelector(match_labels=t.selector_labels()))]
    return k8s.PodTemplateSpec(
        metadata=k8s.ObjectMeta(labels=t.labels(), annotations=annotations),
        spec=k8s.PodSpec(
            service_account_name=app.name if app.service_account else None,
            automount_service_account_token=app.mount_service_account_token,
            security_context=k8s.PodSecurityContext(
                run_as_non_root=True, run_as_user=app.run_as_user, run_as_group=app.run_as_user,
                fs_group=app.run_as_user, seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault")),
            containers=[container(k8s, t, mounts)],
            volumes=pod_volumes,
            topology_spread_constraints=spread_constraints,
        ),
    )
