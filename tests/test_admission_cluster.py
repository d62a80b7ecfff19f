"""Cluster inventory, references, HPA metric sources and scheduling feasibility.

Allocatable figures are worked from the providers' documented formulas (GKE plan-node-sizes;
the EKS-optimized AMI's kube-reserved formula), not read back from the code."""
from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from gitops import config as config_mod
from gitops.admission.inventory import BUILTIN_INVENTORIES
from gitops.admission.nodes import EKS_SHAPES, GKE_SHAPES, GiB, MiB, shape
from gitops.admission.pods import pod_template
from gitops.admission.scheduling import feasibility, pod_requests
from gitops.admission.stage import check_set
from gitops.errors import InputError
from gitops.manifests.resource import Origin, Resource
from gitops.synth.cluster import profile_for
from tests.conftest import make_project, run_cli

GKE, EKS = BUILTIN_INVENTORIES["gke"], BUILTIN_INVENTORIES["eks"]


# ---- allocatable, from the documented formulas ------------------------------------------------------

def test_gke_g2_standard_48_allocatable_matches_the_documented_reservation():
    g2 = shape(GKE_SHAPES, "g2-standard-48")
    # memory: 25% of 4 + 20% of 4 + 10% of 8 + 6% of 112 + 2% of 64 GiB = 10.6 GiB, plus 100 MiB eviction
    assert g2.memory == pytest.approx(192 * GiB - 10.6 * GiB - 100 * MiB, abs=MiB)
    # cpu: 60m + 10m + 10m + 0.25% of 44 cores (110m) = 190m
    assert g2.cpu_millis == 48000 - 190
    assert (g2.gpus, g2.gpu_model) == (4, "NVIDIA L4")
    assert g2.label_map["cloud.google.com/gke-accelerator"] == "nvidia-l4"
    assert [t.describe() for t in g2.taints] == ["nvidia.com/gpu=present:NoSchedule"]


def test_gke_small_machine_cpu_and_memory():
    e2 = shape(GKE_SHAPES, "e2-standard-4")
    assert e2.cpu_millis == 4000 - 80  # 60 + 10 + 5 + 5 m
    assert e2.memory == pytest.approx(16 * GiB - (1 + 0.8 + 0.8) * GiB - 100 * MiB, abs=MiB)


def test_eks_reservation_depends_on_max_pods():
    m5 = shape(EKS_SHAPES, "m5.large")  # 29 pods: 11 x 29 + 255 = 574 MiB, plus 100 MiB eviction
    assert m5.memory == 8 * GiB - 674 * MiB
    assert m5.cpu_millis == 2000 - 70
    g5 = shape(EKS_SHAPES, "g5.12xlarge")  # 737 pods: 8362 MiB reserved
    assert g5.memory == 192 * GiB - (11 * 737 + 255 + 100) * MiB
    assert "nvidia.com/gpu.present" not in g5.label_map  # only GPU Feature Discovery sets it


# ---- requests -----------------------------------------------------------------------------------------

def pod(spec, kind="Pod"):
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": "p", "namespace": "ns"}, "spec": spec}


def container(name, cpu=None, memory=None, gpu=None, restart=None, limits_only=False):
    values = {k: v for k, v in (("cpu", cpu), ("memory", memory), ("nvidia.com/gpu", gpu)) if v is not None}
    out = {"name": name, "image": "i", "resources": {"limits" if limits_only else "requests": values}}
    if restart:
        out["restartPolicy"] = restart
    return out


def test_requests_take_the_larger_of_init_and_app_containers_plus_sidecars_and_overhead():
    spec = {"initContainers": [container("migrate", cpu="4", memory="1Gi"),
                               container("proxy", cpu="500m", memory="256Mi", restart="Always"),
                               container("warm", cpu="1", memory="8Gi")],
            "containers": [container("app", cpu="2", memory="2Gi"), container("log", cpu="100m", limits_only=True)],
            "overhead": {"cpu": "250m", "memory": "120Mi"}}
    r = pod_requests(pod_template(Resource(pod(spec))))
    # cpu: max(init 4, warm 1 + proxy 0.5, apps 2 + 0.1 + proxy 0.5 = 2.6) + 0.25 overhead
    assert r.cpu_millis == pytest.approx(4250)
    # memory: max(1Gi, 8Gi + 256Mi, 2Gi + 256Mi) + 120Mi
    assert r.memory == 8 * GiB + 256 * MiB + 120 * MiB


# ---- feasibility -----------------------------------------------------------------------------------------

TRAIN = {"containers": [container("train", cpu="32", memory="192Gi", gpu="4")],
         "nodeSelector": {"cloud.google.com/gke-accelerator": "nvidia-l4"},
         "tolerations": [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "present", "effect": "NoSchedule"}]}


def verdict(spec, inventory):
    return feasibility(pod_template(Resource(pod(spec))), inventory)


def test_192gi_with_four_l4_does_not_fit_a_g2_standard_48_pool():
    pools = replace(GKE, pools=(_pool("g2-standard-48"),))
    v = verdict(TRAIN, pools)
    assert not v.fits
    assert "g2-standard-48" in v.message and "memory: asks 192.0Gi, 181.3Gi allocatable" in v.message


def test_without_pools_it_fits_only_by_idling_half_a_g2_standard_96():
    v = verdict(TRAIN, GKE)
    assert v.fits and v.waste and "g2-standard-96" in v.message and "4 of its 8 GPUs" in v.message


def test_asking_what_the_node_allocates_fits_without_warning():
    spec = copy.deepcopy(TRAIN)
    spec["containers"][0]["resources"]["requests"]["memory"] = "170Gi"
    v = verdict(spec, replace(GKE, pools=(_pool("g2-standard-48"),)))
    assert v.fits and not v.waste


def test_gpu_taint_must_be_tolerated_unless_gke_adds_the_toleration():
    spec = {"containers": [container("c", cpu="1", memory="1Gi")],
            "nodeSelector": {"cloud.google.com/gke-accelerator": "nvidia-l4"}}
    v = verdict(spec, GKE)
    assert not v.fits and "taint nvidia.com/gpu=present:NoSchedule" in v.message
    spec["containers"][0]["resources"]["requests"]["nvidia.com/gpu"] = "1"  # ExtendedResourceToleration
    assert verdict(spec, GKE).fits


def test_gpu_operator_label_on_eks_needs_the_operator():
    spec = {"containers": [container("c", cpu="2", memory="8Gi", gpu="1")],
            "nodeSelector": {"nvidia.com/gpu.present": "true"}}
    v = verdict(spec, EKS)
    assert not v.fits and "nvidia.com/gpu.present=true" in v.message and "is not set" in v.message
    assert verdict(spec, replace(EKS, addons=frozenset({"gpu-operator"}))).fits
    by_instance = {"containers": spec["containers"],
                   "nodeSelector": {"node.kubernetes.io/instance-type": "g6.xlarge"}}
    assert verdict(by_instance, EKS).fits


def test_required_node_affinity_terms_are_ored_and_unknown_labels_never_block():
    spec = {"containers": [container("c", cpu="1", memory="1Gi")],
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "node.kubernetes.io/instance-type", "operator": "In",
                                       "values": ["x1.nothing"]}]},
                {"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]},
                                      {"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["z"]}]}]}}}}
    assert verdict(spec, EKS).fits
    spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"].pop()
    assert not verdict(spec, EKS).fits


def test_no_shapes_or_a_named_node_means_no_verdict():
    assert verdict(TRAIN, BUILTIN_INVENTORIES["generic"]) is None
    assert verdict({**TRAIN, "nodeName": "n1"}, GKE) is None


def _pool(shape_name):
    from gitops.admission.nodes import Pool
    return Pool("", shape_name)


# ---- references and HPA metrics ----------------------------------------------------------------------

def findings(objs, profile="eks", inventory=None, rule=None):
    found = check_set([Resource(o, Origin(file="m.yaml")) for o in objs], profile,
                      inventory or BUILTIN_INVENTORIES[profile], "1.33")
    return [f for f in found if rule is None or f.rule == rule]


def claim(storage_class=None):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c", "namespace": "ns"},
            "spec": spec}


def test_eks_has_no_gp3_class_by_default_and_says_which_profile():
    [f] = findings([claim("gp3")], rule="cluster-reference")
    assert "'gp3'" in f.message and "profile 'eks'" in f.message and "gp2" in f.message
    assert f.path == "spec.storageClassName"
    storage_class = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "gp3"},
                     "provisioner": "ebs.csi.aws.com"}
    assert findings([claim("gp3"), storage_class], rule="cluster-reference") == []
    assert findings([claim("standard-rwo")], profile="gke", rule="cluster-reference") == []


def test_a_claim_without_a_class_needs_a_default_class():
    assert findings([claim()], rule="cluster-reference")  # EKS creates no default class
    assert findings([claim()], profile="gke", rule="cluster-reference") == []  # standard-rwo is default
    assert findings([claim()], profile="generic") == []  # unknown cluster: not checked
    volume = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "nfs"},
              "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "nfs": {"server": "s", "path": "/"}}}
    assert findings([claim(), volume], rule="cluster-reference") == []  # binds the pre-made volume
    pinned = claim()
    pinned["spec"]["storageClassName"] = ""  # "" means: no class, bind a pre-made volume
    assert findings([pinned], rule="cluster-reference") == []


def test_priority_class_defined_nowhere_is_an_error():
    spec = {"priorityClassName": "ml-critical", "containers": [container("c", cpu="1", memory="1Gi")]}
    [f] = findings([pod(spec)], profile="gke", rule="cluster-reference")
    assert "priorityClassName 'ml-critical'" in f.message and f.path == "spec.priorityClassName"
    priority = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "ml-critical"},
                "value": 1000}
    assert findings([pod(spec), priority], profile="gke", rule="cluster-reference") == []
    system = {"priorityClassName": "system-node-critical", "containers": spec["containers"]}
    assert findings([pod(system)], profile="gke", rule="cluster-reference") == []


def test_custom_resources_need_their_crd_in_the_set_or_the_inventory():
    app = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"}, "spec": {}}
    assert findings([app], profile="gke", rule="cluster-reference")
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "applications.argoproj.io"},
           "spec": {"group": "argoproj.io", "names": {"kind": "Application"}}}
    assert findings([app, crd], profile="gke", rule="cluster-reference") == []
    installed = replace(GKE, crd_groups=GKE.crd_groups | {"argoproj.io"})
    assert findings([app], profile="gke", inventory=installed, rule="cluster-reference") == []


def hpa(metric_type):
    metric = {"type": metric_type}
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h", "namespace": "n"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "d"}, "minReplicas": 1, "maxReplicas": 3,
                     "metrics": [metric]}}


def test_hpa_metrics_need_a_source():
    assert findings([hpa("Resource")], profile="gke", rule="hpa-metrics-source") == []  # GKE runs metrics-server
    assert findings([hpa("Resource")], profile="eks", rule="hpa-metrics-source")  # EKS does not by default
    [f] = findings([hpa("Pods")], profile="gke", rule="hpa-metrics-source")
    assert "Pods metric has no source" in f.message and f.path == "spec.metrics[0]"
    adapter = replace(GKE, addons=GKE.addons | {"metrics-adapter"})
    assert findings([hpa("Pods")], profile="gke", inventory=adapter, rule="hpa-metrics-source") == []
    keda = replace(GKE, addons=GKE.addons | {"keda"})
    assert findings([hpa("External")], profile="gke", inventory=keda, rule="hpa-metrics-source") == []
    api = {"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
           "metadata": {"name": "v1beta1.custom.metrics.k8s.io"}, "spec": {}}
    assert findings([hpa("Pods"), api], profile="gke", rule="hpa-metrics-source") == []


# ---- gitops.yaml ----------------------------------------------------------------------------------

INVENTORY_CONFIG = """\
clusters:
  eks-ml:
    extends: eks
    inventory:
      addons: [gpu-operator]
      storageClasses:
        gp3: {provisioner: ebs.csi.aws.com, volumeBindingMode: WaitForFirstConsumer, default: true}
      priorityClasses: [ml-critical]
      nodeShapes:
        big.metal: {cpu: 64, memory: 512Gi, gpus: 8, gpuModel: NVIDIA H200, maxPods: 110}
      pools: [g6.xlarge, {name: train, shape: big.metal, taints: [{key: dedicated, value: train}]}]
environments:
  dev: {cluster: eks-ml}
"""


def test_gitops_yaml_extends_the_builtin_inventory(tmp_path):
    root = make_project(tmp_path / "p", {}, INVENTORY_CONFIG)
    config = config_mod.load(str(root))
    inv = profile_for(config, config.environments[0]).inventory
    assert {s.name for s in inv.storage_classes} == {"gp2", "gp3"} and inv.default_storage_class().name == "gp3"
    assert "ml-critical" in inv.priority_classes and "system-node-critical" in inv.priority_classes
    big = next(s for s in inv.shapes if s.name == "big.metal")
    assert big.memory == 512 * GiB - (11 * 110 + 255 + 100) * MiB  # the EKS formula for a declared shape
    nodes = inv.nodes()
    assert [n.name for n in nodes] == ["g6.xlarge", "big.metal (pool train)"]
    assert nodes[1].taints[0].describe() == "dedicated=train:NoSchedule"


@pytest.mark.parametrize("inventory,expect", [
    ("{addons: [gpu-operater]}", ("gitops.yaml:4", "unknown add-on 'gpu-operater'")),
    ("{storageClasses: {gp3: {provisioner: x, volumeBindingMode: Later}}}", ("gitops.yaml:4", "volumeBindingMode")),
    ("{pools: [g9.huge]}", ("gitops.yaml:4", "unknown node shape 'g9.huge'")),
    ("{nodeShapes: {x: {cpu: lots, memory: 1Gi}}}", ("gitops.yaml:4", "cpu")),
    ("{podSecurity: {enforce: strict}}", ("gitops.yaml:4", "privileged, baseline, restricted")),
    ("{flavours: []}", ("gitops.yaml:4", "unknown inventory setting")),
])
def test_bad_inventory_settings_name_file_and_line(tmp_path, inventory, expect):
    text = f"clusters:\n  mine:\n    extends: eks\n    inventory: {inventory}\n"
    root = make_project(tmp_path / "p", {}, text)
    with pytest.raises(InputError) as err:
        config_mod.load(str(root))
    message = str(err.value)
    assert all(e in message for e in expect), message


# ---- the CLI on plain YAML ---------------------------------------------------------------------------

PLAIN = """\
apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: ml
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector:
        nvidia.com/gpu.present: "true"
      containers:
      - name: train
        image: ghcr.io/acme/train:1.0
        resources:
          requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
          limits: {nvidia.com/gpu: "1"}
"""


def test_validate_plain_yaml_with_cluster_flag(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "job.yaml").write_text(PLAIN)
    generic = run_cli(["validate", "plain"], tmp_path)
    assert generic.exit_code == 1  # the namespace enforces restricted whatever the cluster
    # the line of the deepest part of the path that exists: the pod spec of the template
    assert "job.yaml:15:" in generic.output and "spec.template.spec.securityContext.runAsNonRoot" in generic.output
    assert "pod-security" in generic.output and "scheduling-no-fit" not in generic.output
    eks = run_cli(["validate", "--cluster", "eks", "plain"], tmp_path)
    assert eks.exit_code == 1 and "scheduling-no-fit" in eks.output and "nvidia.com/gpu.present" in eks.output
    bad = run_cli(["validate", "--cluster", "aks", "plain"], tmp_path)
    assert bad.exit_code == 2 and "--cluster: got 'aks'" in bad.output


def test_sharded_validate_sees_the_namespace_in_another_shard(tmp_path):
    from gitops.check.shard import Shard

    folder = tmp_path / "plain"
    folder.mkdir()
    namespace, job = PLAIN.split("---\n")
    (folder / "a.yaml").write_text(job)  # shard 2 of 2 (crc32 of the path)
    (folder / "namespace.yaml").write_text(namespace)  # shard 1 of 2
    assert Shard(2, 2).owns("plain/a.yaml") and Shard(1, 2).owns("plain/namespace.yaml")
    outputs = {k: run_cli(["validate", "--shard", f"{k}/2", "plain"], tmp_path) for k in (1, 2)}
    # reported once, by the first shard, with the label it read from the other shard's file
    assert "pod-security" not in outputs[2].output and outputs[2].exit_code == 0
    assert "label pod-security.kubernetes.io/enforce=restricted" in outputs[1].output
    assert outputs[1].exit_code == 1
