"""Node shapes: machine types with what the kubelet leaves allocatable for pods.

Allocatable = capacity - kube/system reserved - hard eviction threshold, with each provider's
documented formula (the sources are named beside each function and in docs/cluster-inventory.md):

- GKE (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes, "Memory and CPU
  reservations" and "Local ephemeral storage reservation"):
  memory: 255 MiB below 1 GiB, else 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8,
  6% of the next 112 and 2% above 128 GiB; plus a 100 MiB eviction threshold.
  cpu: 6% of the first core, 1% of the next, 0.5% of the next 2, 0.25% of every core above 4.
  ephemeral storage (boot disk, 100 GiB by default): 10% eviction threshold plus
  min(50% of the disk, 6 GiB + 35% of the disk, 100 GiB).
- EKS (the EKS-optimized AMIs: amazon-eks-ami's bootstrap and nodeadm kubelet configuration):
  memory: kube-reserved 11 MiB x max pods + 255 MiB, plus a 100 MiB eviction threshold;
  cpu: the same percentages as GKE; ephemeral storage: 1 GiB kube-reserved plus the 10%
  `nodefs.available` eviction threshold (root volume 20 GiB by default). Max pods per instance type is
  the VPC CNI's `ENIs x (IPv4 addresses per ENI - 1) + 2` (eni-max-pods.txt).

Capacity here is the machine's nominal size; the kernel reports slightly less, so these figures
are an upper bound of what a node really offers: a pod that does not fit them never fits.
"""
from __future__ import annotations

import dataclasses

from dataclasses import dataclass, field

__all__ = ["NodeShape", "Taint", "gke_reserved", "eks_reserved", "GKE_SHAPES", "EKS_SHAPES", "shape"]

GiB = 2**30
MiB = 2**20


@dataclass(frozen=True)
class Taint:
    key: str
    value: str | None
    effect: str

    def describe(self) -> str:
        return f"{self.key}{'=' + self.value if self.value else ''}:{self.effect}"


@dataclass(frozen=True)
class NodeShape:
    """One machine type as a node: allocatable resources, labels and taints every node of it carries."""

    name: str
    cpu_millis: int  # allocatable
    memory: int  # allocatable bytes
    ephemeral: int  # allocatable bytes
    gpus: int = 0
    gpu_model: str | None = None
    max_pods: int = 110
    labels: tuple[tuple[str, str], ...] = ()
    taints: tuple[Taint, ...] = ()
    capacity_cpu_millis: int = 0
    capacity_memory: int = 0
    source: str = ""
    # Other extended resources every node of the shape offers: the EFA interfaces the AWS EFA device
    # plugin advertises as vpc.amazonaws.com/efa, one per network card
    # (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa.html, supported instance types).
    extended: tuple[tuple[str, int], ...] = ()

    @property
    def label_map(self) -> dict[str, str]:
        return dict(self.labels)


EFA = "vpc.amazonaws.com/efa"


def _tiered(total: float, tiers: list[tuple[float, float]]) -> float:
    """Sum of rate x part of `total` inside each tier; tiers are (upper bound, rate), ascending."""
    reserved, lower = 0.0, 0.0
    for upper, rate in tiers:
        if total <= lower:
            break
        reserved += (min(total, upper) - lower) * rate
        lower = upper
    return reserved


_CPU_TIERS = [(1, 0.06), (2, 0.01), (4, 0.005), (float("inf"), 0.0025)]


def _cpu_reserved_millis(cores: float) -> int:
    return round(_tiered(cores, _CPU_TIERS) * 1000)


def gke_reserved(cores: float, memory_gib: float, disk_gib: float = 100) -> tuple[int, int, int]:
    """(cpu millicores, memory bytes, ephemeral bytes) GKE keeps from pods on a node of this size."""
    memory: float
    if memory_gib < 1:
        memory = 255 * MiB
    else:
        memory = _tiered(memory_gib, [(4, 0.25), (8, 0.20), (16, 0.10), (128, 0.06), (float("inf"), 0.02)]) * GiB
    memory += 100 * MiB  # eviction threshold
    disk = disk_gib * 0.10 + min(disk_gib * 0.5, 6 + disk_gib * 0.35, 100)
    return _cpu_reserved_millis(cores), int(memory), int(disk * GiB)


def eks_reserved(cores: float, max_pods: int, disk_gib: float = 20) -> tuple[int, int, int]:
    """(cpu millicores, memory bytes, ephemeral bytes) the EKS-optimized AMI keeps from pods."""
    memory = (11 * max_pods + 255) * MiB + 100 * MiB
    disk = 1 + disk_gib * 0.10
    return _cpu_reserved_millis(cores), int(memory), int(disk * GiB)


GKE_SOURCE = "GKE plan-node-sizes (memory/CPU/ephemeral reservations); machine sizes from Compute Engine machine types"
EKS_SOURCE = ("EKS-optimized AMI kube-reserved formula (11 MiB x max pods + 255 MiB; CPU tiers), VPC CNI "
              "eni-max-pods; instance sizes from EC2 instance types")
GKE_GPU_TAINT = Taint("nvidia.com/gpu", "present", "NoSchedule")  # GKE adds it to every GPU node pool


def _gke(name: str, cores: int, memory_gib: float, gpus: int = 0, model: str | None = None,
         accelerator: str | None = None) -> NodeShape:
    cpu_r, mem_r, disk_r = gke_reserved(cores, memory_gib)
    family = name.split("-")[0]
    labels = {"node.kubernetes.io/instance-type": name, "cloud.google.com/machine-family": family,
              "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}
    if accelerator:
        labels["cloud.google.com/gke-accelerator"] = accelerator
        labels["cloud.google.com/gke-gpu"] = "true"
    return NodeShape(name, cores * 1000 - cpu_r, int(memory_gib * GiB) - mem_r, 100 * GiB - disk_r, gpus, model,
                     110, tuple(sorted(labels.items())), (GKE_GPU_TAINT,) if gpus else (),
                     cores * 1000, int(memory_gib * GiB), GKE_SOURCE)


def _eks(name: str, cores: int, memory_gib: float, max_pods: int, gpus: int = 0, model: str | None = None) -> NodeShape:
    cpu_r, mem_r, disk_r = eks_reserved(cores, max_pods)
    labels = {"node.kubernetes.io/instance-type": name, "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux",
              "eks.amazonaws.com/instance-family": name.split(".")[0]}
    if gpus:
        # EKS Auto Mode / Karpenter-style GPU labels; managed node groups carry the instance type only.
        labels.update({"eks.amazonaws.com/instance-gpu-manufacturer": "nvidia",
                       "eks.amazonaws.com/instance-gpu-name": (model or "gpu").split()[-1].lower(),
                       "eks.amazonaws.com/instance-gpu-count": str(gpus)})
    return NodeShape(name, cores * 1000 - cpu_r, int(memory_gib * GiB) - mem_r, 20 * GiB - disk_r, gpus, model,
                     max_pods, tuple(sorted(labels.items())), (), cores * 1000, int(memory_gib * GiB), EKS_SOURCE)


# Compute Engine GiB per machine type (https://cloud.google.com/compute/docs/machine-resource,
# accelerator-optimized and general-purpose families).
GKE_SHAPES: tuple[NodeShape, ...] = (
    *[_gke(f"e2-standard-{n}", n, n * 4) for n in (2, 4, 8, 16, 32)],
    *[_gke(f"n2-standard-{n}", n, n * 4) for n in (2, 4, 8, 16, 32, 48, 64, 80, 96, 128)],
    *[_gke(f"n2-highmem-{n}", n, n * 8) for n in (2, 4, 8, 16, 32, 48, 64, 80, 96, 128)],
    *[_gke(f"c3-standard-{n}", n, n * 4) for n in (4, 8, 22, 44, 88, 176)],
    # G2: NVIDIA L4 24 GB
    *[_gke(f"g2-standard-{n}", n, n * 4, gpus, "NVIDIA L4", "nvidia-l4")
      for n, gpus in ((4, 1), (8, 1), (12, 1), (16, 1), (24, 2), (32, 1), (48, 4), (96, 8))],
    # A2: NVIDIA A100 40 GB (highgpu, megagpu) and 80 GB (ultragpu)
    *[_gke(f"a2-highgpu-{g}g", 12 * g, 85 * g, g, "NVIDIA A100 40GB", "nvidia-tesla-a100") for g in (1, 2, 4, 8)],
    _gke("a2-megagpu-16g", 96, 1360, 16, "NVIDIA A100 40GB", "nvidia-tesla-a100"),
    *[_gke(f"a2-ultragpu-{g}g", 12 * g, 170 * g, g, "NVIDIA A100 80GB", "nvidia-a100-80gb") for g in (1, 2, 4, 8)],
    # A3: NVIDIA H100 80 GB
    _gke("a3-highgpu-8g", 208, 1872, 8, "NVIDIA H100 80GB", "nvidia-h100-80gb"),
)

# EC2 sizes (vCPU, GiB) and max pods from the VPC CNI formula for the instance's ENI limits.
_NITRO_MAX_PODS = {"large": 29, "xlarge": 58, "2xlarge": 58, "4xlarge": 234, "8xlarge": 234, "12xlarge": 234,
                   "16xlarge": 737, "24xlarge": 737}
_SIZES = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64,
          "24xlarge": 96, "48xlarge": 192}

EKS_SHAPES: tuple[NodeShape, ...] = (
    *[_eks(f"m5.{s}", _SIZES[s], _SIZES[s] * 4, _NITRO_MAX_PODS[s]) for s in _NITRO_MAX_PODS],
    *[_eks(f"m6i.{s}", _SIZES[s], _SIZES[s] * 4, _NITRO_MAX_PODS[s]) for s in _NITRO_MAX_PODS],
    *[_eks(f"r6i.{s}", _SIZES[s], _SIZES[s] * 8, _NITRO_MAX_PODS[s]) for s in _NITRO_MAX_PODS],
    # G4dn: NVIDIA T4 16 GB; G5: A10G 24 GB; G6: L4 24 GB.
    *[_eks(f"g4dn.{s}", _SIZES[s], _SIZES[s] * 4, pods, gpus, "NVIDIA T4")
      for s, pods, gpus in (("xlarge", 29, 1), ("2xlarge", 29, 1), ("4xlarge", 29, 1), ("8xlarge", 58, 1),
                            ("12xlarge", 234, 4), ("16xlarge", 58, 1))],
    *[_eks(f"g5.{s}", _SIZES[s], _SIZES[s] * 4, pods, gpus, "NVIDIA A10G")
      for s, pods, gpus in (("xlarge", 58, 1), ("2xlarge", 58, 1), ("4xlarge", 234, 1), ("8xlarge", 234, 1),
                            ("12xlarge", 737, 4), ("16xlarge", 234, 1), ("24xlarge", 737, 4), ("48xlarge", 345, 8))],
    *[_eks(f"g6.{s}", _SIZES[s], _SIZES[s] * 4, pods, gpus, "NVIDIA L4")
      for s, pods, gpus in (("xlarge", 58, 1), ("2xlarge", 58, 1), ("4xlarge", 234, 1), ("8xlarge", 234, 1),
                            ("12xlarge", 234, 4), ("16xlarge", 737, 1), ("24xlarge", 737, 4), ("48xlarge", 737, 8))],
    dataclasses.replace(_eks("p4d.24xlarge", 96, 1152, 737, 8, "NVIDIA A100 40GB"), extended=((EFA, 4),)),
    dataclasses.replace(_eks("p5.48xlarge", 192, 2048, 100, 8, "NVIDIA H100 80GB"), extended=((EFA, 32),)),
)


def shape(shapes: tuple[NodeShape, ...], name: str) -> NodeShape | None:
    return next((s for s in shapes if s.name == name), None)


@dataclass(frozen=True)
class Pool:
    """A node pool: a shape plus the labels and taints the pool adds to its nodes."""

    name: str
    shape: str
    labels: tuple[tuple[str, str], ...] = ()
    taints: tuple[Taint, ...] = field(default=())
