"""Cluster profiles: what differs between clusters for the same spec.

A profile says how GPU nodes are labelled and tainted, which storage classes to use and which
ingress class routes traffic. Built-in profiles cover GKE, EKS and a generic cluster (the NVIDIA
GPU operator's labels); gitops.yaml may add or adjust profiles and pick one per environment:

    clusters:
      gke-l4: {extends: gke, gpuNodeValue: nvidia-l4}
    environments:
      dev: {cluster: eks}
      prod: {production: true, cluster: gke-l4}

Settings under `clusters.<name>`: `extends` (a built-in profile, gke, eks or generic, or one declared
above), `gpuNodeLabel`, `gpuNodeValue` (none: any node with the label, through node affinity),
`gpuTaintKey`, `gpuTaintValue`, `gpuTaintEffect`, `storageClass`, `sharedStorageClass` (for
ReadWriteMany claims), `ingressClass`, `topologyLabels` (level -> the node label a
TrainingJob's `exclusive_topology` places a gang by, e.g. `{rack: example.com/rack}`; `zone` is
built in), `identity` (how a ServiceAccount is bound to a cloud identity: gke-workload-identity,
eks-irsa, eks-pod-identity or none), and `inventory`: what the cluster has besides the set
(classes, add-ons, CRDs, node shapes and pools, the Pod Security default), against which the
checks of docs/admission.md resolve references and scheduling (gitops/admission/inventory.py).
The built-in profiles and their values are in docs/workloads.md.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..admission.inventory import BUILTIN_INVENTORIES, Inventory, parse_inventory
from ..errors import InputError
from ..spec.parts.scheduling import Toleration
from ..spec.values import check_dns_label, check_dns_subdomain, check_label_key, check_label_value
from ..yamlio import line_of
from . import kueue_config

if TYPE_CHECKING:
    from ..config import Config, Environment

SECTION = "clusters"
ENV_SETTING = "cluster"
DEFAULT_PROFILE = "generic"
VALIDATION_SETTING = "validation"  # (Kubernetes version, imported CRD schemas folder) in target settings
# On the Namespace of an app that chose its own profile: the admission checks read it (admission/run.py).
PROFILE_ANNOTATION = "gitops.dev/cluster-profile"
# How a cluster binds a ServiceAccount to a cloud identity (synth/identity.py says what each emits).
IDENTITY_MODES = ("gke-workload-identity", "eks-irsa", "eks-pod-identity", "none")


@dataclass(frozen=True)
class ClusterProfile:
    """How one kind of cluster names its GPU nodes, storage and ingress.

    gpu_node_label: the label GPU nodes carry; with gpu_node_value the pods select that exact value
    (nodeSelector), without it any node that has the label (node affinity, operator Exists).
    """

    name: str
    gpu_node_label: str
    gpu_node_value: str | None
    gpu_taint_key: str
    gpu_taint_value: str | None
    gpu_taint_effect: str
    storage_class: str | None  # default for ReadWriteOnce claims; None: the cluster's default
    shared_storage_class: str | None  # for ReadWriteMany claims (datasets shared by many pods)
    ingress_class: str | None
    # What the cluster has besides the set: classes, add-ons, node shapes, Pod Security default
    # (gitops/admission/inventory.py). Not part of what synthesis reads.
    inventory: Inventory = BUILTIN_INVENTORIES["generic"]
    # How a ServiceAccount is bound to a cloud identity (synth/identity.py): gke-workload-identity,
    # eks-irsa, eks-pod-identity or none.
    identity: str = "none"
    # Topology level (zone, rack, block, ...) -> the node label naming a node's domain at that level;
    # what TrainingJob(exclusive_topology=...) places a gang by. Zones are labelled everywhere.
    topology_labels: tuple[tuple[str, str], ...] = (("zone", "topology.kubernetes.io/zone"),)

    def gpu_toleration(self) -> Toleration:
        return Toleration(key=self.gpu_taint_key, value=self.gpu_taint_value, effect=self.gpu_taint_effect)

    def storage_class_for(self, access_modes: tuple[str, ...]) -> str | None:
        return self.shared_storage_class if "ReadWriteMany" in access_modes else self.storage_class


BUILTIN: dict[str, ClusterProfile] = {
    # GKE labels GPU nodes with their accelerator type and taints them nvidia.com/gpu=present.
    "gke": ClusterProfile("gke", "cloud.google.com/gke-accelerator", None, "nvidia.com/gpu", "present",
                          "NoSchedule", "standard-rwo", "standard-rwx", "gce", BUILTIN_INVENTORIES["gke"],
                          "gke-workload-identity"),
    # EKS as created: GPU instances labelled by EKS (Auto Mode's eks.amazonaws.com/instance-gpu-*; a
    # managed node group has its instance type), the NVIDIA device plugin's taint, the only storage
    # class EKS creates (gp2), no shared-storage class and no ingress class until add-ons are
    # installed. `nvidia.com/gpu.present` exists only with the GPU operator / GPU Feature Discovery:
    # extend the profile (inventory: {addons: [gpu-operator]}, gpuNodeLabel) when it is installed.
    "eks": ClusterProfile("eks", "eks.amazonaws.com/instance-gpu-manufacturer", "nvidia", "nvidia.com/gpu", None,
                          "NoSchedule", "gp2", None, None, BUILTIN_INVENTORIES["eks"], "eks-irsa"),
    # Any cluster with the NVIDIA GPU operator: its feature-discovery label, the usual taint,
    # the cluster's default storage class and ingress-nginx.
    "generic": ClusterProfile("generic", "nvidia.com/gpu.present", "true", "nvidia.com/gpu", None, "NoSchedule",
                              None, None, "nginx", BUILTIN_INVENTORIES["generic"]),
}

_KEYS = {"extends": None, "gpuNodeLabel": "gpu_node_label", "gpuNodeValue": "gpu_node_value",
         "gpuTaintKey": "gpu_taint_key", "gpuTaintValue": "gpu_taint_value", "gpuTaintEffect": "gpu_taint_effect",
         "storageClass": "storage_class", "sharedStorageClass": "shared_storage_class",
         "ingressClass": "ingress_class", "identity": "identity", "inventory": None, "topologyLabels": None}


def _fail(file: str, parent: Any, key: str, message: str) -> InputError:
    return InputError(f"{key}: {message}", file=file, line=line_of(parent, key))


def parse_clusters(value: Any, file: str, parent: Any) -> dict[str, ClusterProfile]:
    """The `clusters:` section: name -> {extends: builtin, <setting>: value}."""
    if not isinstance(value, dict):
        raise _fail(file, parent, SECTION, "expected a mapping of profile name to settings")
    out: dict[str, ClusterProfile] = {}
    for name, settings in value.items():
        problem = check_dns_label(name) if isinstance(name, str) else "must be a string"
        if problem:
            raise _fail(file, value, str(name), f"profile name: {problem}")
        settings = settings or {}
        if not isinstance(settings, dict):
            raise _fail(file, value, name, "expected a mapping such as {extends: gke, storageClass: premium-rwo}")
        for key in settings:
            if key not in _KEYS:
                raise _fail(file, settings, key, f"unknown cluster setting; expected one of {', '.join(sorted(_KEYS))}")
        base_name = settings.get("extends", name if name in BUILTIN else DEFAULT_PROFILE)
        base = (out.get(base_name) or BUILTIN.get(base_name)) if isinstance(base_name, str) else None
        if base is None:
            raise _fail(file, settings, "extends", f"got {base_name!r}; expected one of {', '.join(sorted(BUILTIN | out))}")
        changes: dict[str, Any] = {"name": name}
        for key, attr in _KEYS.items():
            if attr is None or key not in settings:
                continue
            changes[attr] = _setting(settings[key], attr, file, settings, key)
        if "inventory" in settings:
            changes["inventory"] = parse_inventory(settings["inventory"], file, settings, base.inventory)
        if "topologyLabels" in settings:
            changes["topology_labels"] = _topology_labels(settings["topologyLabels"], file, settings, base)
        out[name] = dataclasses.replace(base, **changes)
    return out


def _topology_labels(value: Any, file: str, parent: Any, base: ClusterProfile) -> tuple[tuple[str, str], ...]:
    """`topologyLabels: {rack: <node label>, ...}`, added to (or replacing) the base profile's."""
    if not isinstance(value, dict):
        raise _fail(file, parent, "topologyLabels", "expected a mapping of level to node label, e.g. "
                    "{rack: example.com/rack}")
    labels = dict(base.topology_labels)
    for level, label in value.items():
        problem = check_dns_label(level) if isinstance(level, str) else "must be a string"
        if problem:
            raise _fail(file, value, str(level), f"topology level: {problem}")
        problem = check_label_key(label) if isinstance(label, str) else f"got {label!r}; expected a node label key"
        if problem:
            raise _fail(file, value, level, problem)
        labels[level] = label
    return tuple(sorted(labels.items()))


def _setting(value: Any, attr: str, file: str, parent: Any, key: str) -> Any:
    if value is None and attr not in ("gpu_node_label", "gpu_taint_key", "gpu_taint_effect"):
        return None
    if attr == "identity":
        if value not in IDENTITY_MODES:
            raise _fail(file, parent, key, f"got {value!r}; expected one of {', '.join(IDENTITY_MODES)}")
        return value
    if attr == "gpu_taint_effect":
        if value not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            raise _fail(file, parent, key, f"got {value!r}; expected NoSchedule, PreferNoSchedule or NoExecute")
        return value
    if attr in ("gpu_node_label", "gpu_taint_key"):
        problem = check_label_key(value)
    elif attr in ("gpu_node_value", "gpu_taint_value"):
        problem = check_label_value(value) if isinstance(value, str) else f"got {value!r}; expected a string"
    else:
        problem = check_dns_subdomain(value)
    if problem:
        raise _fail(file, parent, key, problem)
    return value


def parse_env_cluster(value: Any, file: str, parent: Any) -> str:
    """The per-environment `cluster:` setting: a profile name (checked when targets are built)."""
    problem = check_dns_label(value) if isinstance(value, str) else f"got {value!r}; expected a profile name"
    if problem:
        raise _fail(file, parent, ENV_SETTING, problem)
    return value


def profile_for(config: Config, env: Environment) -> ClusterProfile:
    """The profile an environment deploys to: its `cluster:` setting, else the generic one."""
    name = env.settings.get(ENV_SETTING, DEFAULT_PROFILE)
    profiles = {**BUILTIN, **config.sections.get(SECTION, {})}
    if name not in profiles:
        raise InputError(f"environments: {env.name}: cluster: got {name!r}; expected one of "
                         f"{', '.join(sorted(profiles))} (built in, or declared under clusters:)", file=config.file or "")
    return profiles[name]


def app_settings(config: Config, settings: dict, spec: Any, where: Any) -> dict:
    """The settings one app sees: its own cluster profile (`cluster=` in the spec, e.g. the GPU pool
    it needs) in place of the environment's. An unknown profile is an error at the spec's line."""
    if spec.cluster is None:
        return settings
    profiles = {**BUILTIN, **config.sections.get(SECTION, {})}
    if spec.cluster not in profiles:
        raise InputError(f"app {spec.name!r}: cluster: got {spec.cluster!r}; expected one of "
                         f"{', '.join(sorted(profiles))} (built in, or declared under clusters: in gitops.yaml)",
                         file=where.file, line=where.line)
    return {**settings, ENV_SETTING: profiles[spec.cluster]}


def target_settings(config: Config, env: Environment) -> dict:
    """The environment's settings as builders see them, with the cluster profile and the kueue
    section (with the environment's overrides) resolved."""
    settings = {**env.settings, ENV_SETTING: profile_for(config, env)}
    kueue = kueue_config.for_environment(config.sections.get(kueue_config.SECTION),
                                         env.settings.get(kueue_config.ENV_SETTING))
    if kueue is not None:
        settings[kueue_config.ENV_SETTING] = kueue
    else:
        settings.pop(kueue_config.ENV_SETTING, None)
    # what synth/hatches.py validates a spec's own objects and patches against, as `check` does
    settings[VALIDATION_SETTING] = (config.kubernetes_version, config.path(config.schemas_dir))
    return settings
