"""What a cluster has without it being in the manifest set: the inventory of a cluster profile.

Storage, ingress, gateway, priority and runtime classes, installed add-ons and CRDs, node shapes
and the pools that use them, and the Pod Security level namespaces get when they have no label.
A category left `None` is unknown: references to it are not checked (the generic profile knows
only what every cluster has). Built-in data for GKE and EKS is below with its source; gitops.yaml
extends or replaces it per profile (`clusters.<name>.inventory`, parsed by `parse_inventory`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..errors import InputError
from ..spec.values import check_dns_subdomain, check_label_key, check_label_value, parse_quantity
from ..yamlio import line_of
from .nodes import EKS_SHAPES, GKE_SHAPES, GiB, NodeShape, Pool, Taint, eks_reserved, gke_reserved
from .podsecurity import LEVELS

__all__ = ["Inventory", "StorageClass", "BUILTIN_INVENTORIES", "parse_inventory", "ADDONS"]

# Add-ons a profile may declare, and what each provides.
ADDONS = {
    "gpu-operator": "NVIDIA GPU operator / GPU Feature Discovery: nvidia.com/gpu.* node labels",
    "metrics-server": "resource metrics (cpu, memory) for HorizontalPodAutoscalers",
    "metrics-adapter": "custom and external metrics APIs (Prometheus adapter, Datadog, Stackdriver adapter)",
    "keda": "KEDA: ScaledObjects and the external metrics API",
    "prometheus-operator": "monitoring.coreos.com CRDs (ServiceMonitor, PodMonitor, PrometheusRule)",
    "kueue": "Kueue: kueue.x-k8s.io CRDs (queues, flavors, workload priorities) and job admission",
    "jobset": "the JobSet controller: jobset.x-k8s.io CRDs",
}
# The API groups of the CRDs an add-on installs (its own installation manifests).
ADDON_CRD_GROUPS = {
    "keda": ("keda.sh", "eventing.keda.sh"),
    "prometheus-operator": ("monitoring.coreos.com",),
    "kueue": ("kueue.x-k8s.io",),
    "jobset": ("jobset.x-k8s.io",),
}
# Priority classes every cluster has (the API server creates them).
SYSTEM_PRIORITY_CLASSES = frozenset({"system-cluster-critical", "system-node-critical"})


@dataclass(frozen=True)
class StorageClass:
    name: str
    provisioner: str
    binding_mode: str = "Immediate"  # volumeBindingMode
    default: bool = False


@dataclass(frozen=True)
class Inventory:
    provider: str  # gke | eks | generic: which reservation formula user shapes get
    storage_classes: tuple[StorageClass, ...] | None = None
    ingress_classes: frozenset[str] | None = None
    gateway_classes: frozenset[str] | None = None
    priority_classes: frozenset[str] | None = None
    runtime_classes: frozenset[str] | None = None
    addons: frozenset[str] = frozenset()
    crd_groups: frozenset[str] | None = None  # API groups of installed CRDs (`Kind.group` or `group`)
    shapes: tuple[NodeShape, ...] = ()
    pools: tuple[Pool, ...] | None = None  # None: every shape may be used
    pod_security: str = "privileged"  # enforce level of namespaces without the label
    pod_security_version: str = "latest"
    exempt_namespaces: frozenset[str] = frozenset()
    exempt_runtime_classes: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()

    def storage_class(self, name: str) -> StorageClass | None:
        return next((s for s in self.storage_classes or () if s.name == name), None)

    def default_storage_class(self) -> StorageClass | None:
        return next((s for s in self.storage_classes or () if s.default), None)

    def has(self, addon: str) -> bool:
        return addon in self.addons

    def has_crd_group(self, group: str) -> bool:
        """Whether the cluster serves CRDs of `group`: listed under crds, or installed by an add-on."""
        return group in (self.crd_groups or ()) or any(group in ADDON_CRD_GROUPS.get(a, ()) for a in self.addons)

    def nodes(self) -> list[NodeShape]:
        """The node shapes pods can land on: each pool's shape with the pool's labels and taints, or every shape."""
        if self.pools is None:
            return list(self.shapes)
        by_name = {s.name: s for s in self.shapes}
        out = []
        for pool in self.pools:
            base = by_name.get(pool.shape)
            if base is None:
                continue
            labels = dict(base.labels) | dict(pool.labels)
            if pool.name:
                labels.setdefault(f"{self.node_pool_label}", pool.name)
            out.append(replace(base, name=f"{pool.shape} (pool {pool.name})" if pool.name else base.name,
                               labels=tuple(sorted(labels.items())), taints=base.taints + pool.taints))
        return out

    @property
    def node_pool_label(self) -> str:
        return {"gke": "cloud.google.com/gke-nodepool", "eks": "eks.amazonaws.com/nodegroup"}.get(
            self.provider, "node-pool")


GKE = Inventory(
    provider="gke",
    # GKE creates these classes (Compute Engine persistent disk CSI driver; Filestore CSI when enabled).
    storage_classes=(StorageClass("standard-rwo", "pd.csi.storage.gke.io", "WaitForFirstConsumer", default=True),
                     StorageClass("premium-rwo", "pd.csi.storage.gke.io", "WaitForFirstConsumer"),
                     StorageClass("standard", "kubernetes.io/gce-pd", "Immediate"),
                     StorageClass("standard-rwx", "filestore.csi.storage.gke.io", "WaitForFirstConsumer"),
                     StorageClass("premium-rwx", "filestore.csi.storage.gke.io", "WaitForFirstConsumer"),
                     StorageClass("enterprise-rwx", "filestore.csi.storage.gke.io", "WaitForFirstConsumer")),
    ingress_classes=frozenset({"gce", "gce-internal"}),
    gateway_classes=frozenset({"gke-l7-global-external-managed", "gke-l7-regional-external-managed",
                               "gke-l7-rilb", "gke-l7-gxlb"}),
    priority_classes=SYSTEM_PRIORITY_CLASSES,
    runtime_classes=frozenset({"gvisor"}),
    addons=frozenset({"metrics-server"}),
    crd_groups=frozenset({"networking.gke.io", "cloud.google.com", "monitoring.googleapis.com",
                          "snapshot.storage.k8s.io", "gateway.networking.k8s.io", "nodemanagement.gke.io",
                          "hub.gke.io", "auto.gke.io", "warden.gke.io"}),
    shapes=GKE_SHAPES,
    sources=("https://cloud.google.com/kubernetes-engine/docs/concepts/persistent-volumes (storage classes)",
             "https://cloud.google.com/kubernetes-engine/docs/concepts/gateway-api (gateway classes)",
             "https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes (allocatable)"),
)

EKS = Inventory(
    provider="eks",
    # EKS creates only the in-tree gp2 class (clusters before 1.30 mark it default; later ones mark none).
    storage_classes=(StorageClass("gp2", "kubernetes.io/aws-ebs", "WaitForFirstConsumer"),),
    ingress_classes=frozenset(),  # the AWS Load Balancer Controller is an add-on: declare `alb` when installed
    gateway_classes=frozenset(),
    priority_classes=SYSTEM_PRIORITY_CLASSES,
    runtime_classes=frozenset(),
    addons=frozenset(),
    crd_groups=frozenset({"vpcresources.k8s.aws", "crd.k8s.amazonaws.com", "networking.k8s.aws",
                          "snapshot.storage.k8s.io"}),
    shapes=EKS_SHAPES,
    sources=("https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html (no gp3/EFS class by default)",
             "https://github.com/awslabs/amazon-eks-ami (kube-reserved formula), "
             "https://github.com/aws/amazon-vpc-cni-k8s (eni-max-pods)"),
)

GENERIC = Inventory(provider="generic", priority_classes=None)

BUILTIN_INVENTORIES = {"gke": GKE, "eks": EKS, "generic": GENERIC}


# ---- gitops.yaml: clusters.<name>.inventory ----------------------------------------------------

_KEYS = ("replace", "storageClasses", "ingressClasses", "gatewayClasses", "priorityClasses", "runtimeClasses",
         "addons", "crds", "nodeShapes", "pools", "podSecurity")


def _fail(file: str, parent: Any, key: Any, message: str) -> InputError:
    return InputError(f"{key}: {message}", file=file, line=line_of(parent, key))


def _names(value: Any, file: str, parent: Any, key: str) -> frozenset[str]:
    """A list of names, or a mapping whose keys are the names (values describe them)."""
    items = list(value) if isinstance(value, (list, dict)) else None
    if items is None:
        raise _fail(file, parent, key, f"expected a list of names, got {value!r}")
    for item in items:
        problem = check_dns_subdomain(item) if isinstance(item, str) else f"got {item!r}; expected a name"
        if problem:
            raise _fail(file, parent, key, f"{item!r}: {problem}")
    return frozenset(items)


def _storage_classes(value: Any, file: str, parent: Any) -> tuple[StorageClass, ...]:
    if not isinstance(value, dict):
        raise _fail(file, parent, "storageClasses", "expected a mapping such as "
                    "{gp3: {provisioner: ebs.csi.aws.com, volumeBindingMode: WaitForFirstConsumer}}")
    out = []
    for name, spec in value.items():
        problem = check_dns_subdomain(name) if isinstance(name, str) else "expected a name"
        if problem:
            raise _fail(file, value, name, problem)
        spec = spec or {}
        if not isinstance(spec, dict) or not isinstance(spec.get("provisioner"), str):
            raise _fail(file, value, name, "expected {provisioner: NAME, volumeBindingMode: Immediate|"
                        "WaitForFirstConsumer, default: true|false}")
        for key in spec:
            if key not in ("provisioner", "volumeBindingMode", "default"):
                raise _fail(file, spec, key, "unknown storage class setting; expected provisioner, "
                            "volumeBindingMode or default")
        mode = spec.get("volumeBindingMode", "Immediate")
        if mode not in ("Immediate", "WaitForFirstConsumer"):
            raise _fail(file, spec, "volumeBindingMode", f"got {mode!r}; expected Immediate or WaitForFirstConsumer")
        default = spec.get("default", False)
        if not isinstance(default, bool):
            raise _fail(file, spec, "default", f"got {default!r}; expected true or false")
        out.append(StorageClass(name, spec["provisioner"], mode, default))
    return tuple(out)


def _quantity(value: Any, file: str, parent: Any, key: str) -> float:
    try:
        number = float(parse_quantity(value))
    except ValueError as exc:
        raise _fail(file, parent, key, str(exc)) from None
    if number <= 0:
        raise _fail(file, parent, key, f"got {value!r}; expected a positive quantity")
    return number


def _taints(value: Any, file: str, parent: Any, key: str) -> tuple[Taint, ...]:
    if not isinstance(value, list):
        raise _fail(file, parent, key, "expected a list such as [{key: nvidia.com/gpu, effect: NoSchedule}]")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or check_label_key(item["key"]):
            raise _fail(file, parent, key, f"got {item!r}; expected {{key: KEY, value: VALUE, effect: NoSchedule}}")
        effect = item.get("effect", "NoSchedule")
        if effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            raise _fail(file, item, "effect", f"got {effect!r}; expected NoSchedule, PreferNoSchedule or NoExecute")
        taint_value = item.get("value")
        if taint_value is not None and (not isinstance(taint_value, str) or check_label_value(taint_value)):
            raise _fail(file, item, "value", f"got {taint_value!r}; expected a label value")
        out.append(Taint(item["key"], taint_value, effect))
    return tuple(out)


def _labels(value: Any, file: str, parent: Any, key: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise _fail(file, parent, key, "expected a mapping of label to value")
    for k, v in value.items():
        problem = (check_label_key(k) if isinstance(k, str) else "expected a string") or \
                  (check_label_value(v) if isinstance(v, str) else f"value {v!r} must be a string")
        if problem:
            raise _fail(file, value, k, problem)
    return tuple(sorted(value.items()))


_SHAPE_KEYS = ("cpu", "memory", "ephemeralStorage", "gpus", "gpuModel", "maxPods", "labels", "taints")


def _shape(name: str, spec: Any, file: str, parent: Any, provider: str) -> NodeShape:
    if not isinstance(spec, dict) or "cpu" not in spec or "memory" not in spec:
        raise _fail(file, parent, name, "expected {cpu: 8, memory: 32Gi, gpus: 1, gpuModel: NVIDIA L4, ...} "
                    "(capacity; allocatable is computed with the provider's reservation formula)")
    for key in spec:
        if key not in _SHAPE_KEYS:
            raise _fail(file, spec, key, f"unknown node shape setting; expected one of {', '.join(_SHAPE_KEYS)}")
    cores = _quantity(spec["cpu"], file, spec, "cpu")
    memory = _quantity(spec["memory"], file, spec, "memory")
    disk = _quantity(spec.get("ephemeralStorage", "100Gi"), file, spec, "ephemeralStorage")
    gpus, max_pods = spec.get("gpus", 0), spec.get("maxPods", 110)
    for key, number in (("gpus", gpus), ("maxPods", max_pods)):
        if not isinstance(number, int) or isinstance(number, bool) or number < 0 or number > 100_000:
            raise _fail(file, spec, key, f"got {number!r}; expected a whole number")
    model = spec.get("gpuModel")
    if model is not None and not isinstance(model, str):
        raise _fail(file, spec, "gpuModel", f"got {model!r}; expected a string such as \"NVIDIA L4\"")
    if provider == "gke":
        cpu_r, mem_r, disk_r = gke_reserved(cores, memory / GiB, disk / GiB)
    elif provider == "eks":
        cpu_r, mem_r, disk_r = eks_reserved(cores, max_pods, disk / GiB)
    else:
        cpu_r = mem_r = disk_r = 0
    labels = dict(_labels(spec.get("labels", {}), file, spec, "labels"))
    labels.setdefault("node.kubernetes.io/instance-type", name)
    return NodeShape(name, int(cores * 1000) - cpu_r, int(memory) - mem_r, int(disk) - disk_r, gpus, model, max_pods,
                     tuple(sorted(labels.items())), _taints(spec.get("taints", []), file, spec, "taints"),
                     int(cores * 1000), int(memory), f"{file} (allocatable by the {provider} formula)")


def _pools(value: Any, file: str, parent: Any, shapes: dict[str, NodeShape]) -> tuple[Pool, ...]:
    if not isinstance(value, list):
        raise _fail(file, parent, "pools", "expected a list of shape names or {name, shape, labels, taints}")
    out = []
    for item in value:
        spec = {"name": "", "shape": item} if isinstance(item, str) else item
        if not isinstance(spec, dict) or not isinstance(spec.get("shape"), str):
            raise _fail(file, parent, "pools", f"got {item!r}; expected a shape name or {{name, shape, labels, taints}}")
        for key in spec:
            if key not in ("name", "shape", "labels", "taints"):
                raise _fail(file, spec, key, "unknown pool setting; expected name, shape, labels or taints")
        if spec["shape"] not in shapes:
            close = sorted(n for n in shapes if n.split("-")[0] == spec["shape"].split("-")[0]
                           or n.split(".")[0] == spec["shape"].split(".")[0])[:6]
            raise _fail(file, spec if isinstance(item, dict) else parent, "shape" if isinstance(item, dict) else "pools",
                        f"unknown node shape {spec['shape']!r}" + (f"; known: {', '.join(close)}" if close else
                                                                   "; declare it under nodeShapes"))
        name = spec.get("name") or ""
        if not isinstance(name, str):
            raise _fail(file, spec, "name", f"got {name!r}; expected a string")
        out.append(Pool(name, spec["shape"], _labels(spec.get("labels", {}), file, spec, "labels"),
                        _taints(spec.get("taints", []), file, spec, "taints")))
    return tuple(out)


def _pod_security(value: Any, file: str, parent: Any) -> dict:
    if not isinstance(value, dict):
        raise _fail(file, parent, "podSecurity", "expected {enforce: baseline, enforceVersion: latest, "
                    "exemptNamespaces: [...], exemptRuntimeClasses: [...]}")
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "enforce":
            if item not in LEVELS:
                raise _fail(file, value, key, f"got {item!r}; expected one of {', '.join(LEVELS)}")
            out["pod_security"] = item
        elif key == "enforceVersion":
            if not isinstance(item, str) or not (item == "latest" or item.startswith("v1.")):
                raise _fail(file, value, key, f"got {item!r}; expected \"latest\" or \"v1.XX\"")
            out["pod_security_version"] = item
        elif key in ("exemptNamespaces", "exemptRuntimeClasses"):
            names = _names(item, file, value, key)
            out["exempt_namespaces" if key == "exemptNamespaces" else "exempt_runtime_classes"] = names
        else:
            raise _fail(file, value, key, "unknown podSecurity setting; expected enforce, enforceVersion, "
                        "exemptNamespaces or exemptRuntimeClasses")
    return out


def parse_inventory(value: Any, file: str, parent: Any, base: Inventory) -> Inventory:
    """`clusters.<name>.inventory`: categories given extend the base profile's (or replace them with `replace: true`)."""
    if not isinstance(value, dict):
        raise _fail(file, parent, "inventory", "expected a mapping such as {storageClasses: {...}, addons: [...]}")
    for key in value:
        if key not in _KEYS:
            raise _fail(file, value, key, f"unknown inventory setting; expected one of {', '.join(_KEYS)}")
    wipe = value.get("replace", False)
    if not isinstance(wipe, bool):
        raise _fail(file, value, "replace", f"got {wipe!r}; expected true or false")

    def merged(old: Any, new: Any) -> Any:
        if wipe or old is None:
            return new
        if isinstance(new, frozenset):
            return old | new
        names = {item.name for item in new}
        return tuple(item for item in old if item.name not in names) + new

    changes: dict[str, Any] = {}
    if "storageClasses" in value:
        changes["storage_classes"] = merged(base.storage_classes, _storage_classes(value["storageClasses"], file, value))
    for key, attr in (("ingressClasses", "ingress_classes"), ("gatewayClasses", "gateway_classes"),
                      ("priorityClasses", "priority_classes"), ("runtimeClasses", "runtime_classes")):
        if key in value:
            changes[attr] = merged(getattr(base, attr), _names(value[key], file, value, key))
    if "addons" in value:
        addons = _names(value["addons"], file, value, "addons")
        unknown = sorted(addons - set(ADDONS))
        if unknown:
            raise _fail(file, value, "addons", f"unknown add-on {unknown[0]!r}; expected one of {', '.join(ADDONS)}")
        changes["addons"] = merged(base.addons, addons)
    if "crds" in value:
        changes["crd_groups"] = merged(base.crd_groups, _names(value["crds"], file, value, "crds"))
    shapes = {s.name: s for s in base.shapes} if not wipe else {}
    if "nodeShapes" in value:
        declared = value["nodeShapes"]
        if not isinstance(declared, dict):
            raise _fail(file, value, "nodeShapes", "expected a mapping of machine type to {cpu, memory, gpus, ...}")
        for name, spec in declared.items():
            if not isinstance(name, str) or not name:
                raise _fail(file, declared, name, "expected a machine type name")
            shapes[name] = _shape(name, spec, file, declared, base.provider)
        changes["shapes"] = tuple(shapes.values())
    if "pools" in value:
        changes["pools"] = _pools(value["pools"], file, value, shapes or {s.name: s for s in base.shapes})
    if "podSecurity" in value:
        changes.update(_pod_security(value["podSecurity"], file, value))
    return replace(base, **changes, sources=base.sources + (f"{file} (inventory)",))
