"""Cluster profiles in gitops.yaml: built-ins, declared profiles, per-environment choice, errors."""
from __future__ import annotations

import yaml

from gitops import config as config_mod
from gitops.errors import InputError
from gitops.synth.cluster import BUILTIN, profile_for
from tests.conftest import make_project, run_cli

GPU_SPEC = """\
from gitops import ModelServer, Port, Resources

server = ModelServer(name="gpu", image="gpu:1.0", ports=[Port(name="http", port=8000)],
                     resources=Resources(cpu="1", memory="4Gi", gpu=1))
"""

CONFIG = """\
kubernetesVersion: "1.33"
clusters:
  gke-l4:
    extends: gke
    gpuNodeValue: nvidia-l4
    storageClass: premium-rwo
environments:
  dev: {cluster: eks}
  prod: {production: true, cluster: gke-l4}
"""


def test_declared_profile_extends_a_builtin(tmp_path):
    root = make_project(tmp_path / "p", {}, CONFIG)
    config = config_mod.load(str(root))
    dev, prod = config.environments
    assert profile_for(config, dev) == BUILTIN["eks"]
    l4 = profile_for(config, prod)
    assert (l4.name, l4.gpu_node_label, l4.gpu_node_value, l4.storage_class, l4.ingress_class) == (
        "gke-l4", "cloud.google.com/gke-accelerator", "nvidia-l4", "premium-rwo", "gce")


def test_the_same_spec_deploys_to_eks_and_gke(tmp_path):
    root = make_project(tmp_path / "p", {"gpu.py": GPU_SPEC}, CONFIG)
    result = run_cli(["synth"], root)
    assert result.exit_code == 0, result.output
    pods = {env: yaml.safe_load((root / f"generated/{env}/gpu/deployment-gpu.yaml").read_text())["spec"]["template"]["spec"]
            for env in ("dev", "prod")}
    # EKS labels GPU nodes itself (eks.amazonaws.com/instance-gpu-*); nvidia.com/gpu.present needs the
    # GPU operator, which the built-in profile does not assume.
    assert pods["dev"]["nodeSelector"] == {"eks.amazonaws.com/instance-gpu-manufacturer": "nvidia"}
    assert pods["dev"]["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    assert pods["prod"]["nodeSelector"] == {"cloud.google.com/gke-accelerator": "nvidia-l4"}
    assert pods["prod"]["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "present",
                                            "effect": "NoSchedule"}]


def test_unknown_profile_is_an_input_error_naming_the_config(tmp_path):
    root = make_project(tmp_path / "p", {"gpu.py": GPU_SPEC},
                        'environments:\n  dev: {cluster: aks}\n')
    result = run_cli(["synth"], root)
    assert result.exit_code == 2
    assert "gitops.yaml" in result.output and "cluster: got 'aks'" in result.output and "eks, generic, gke" in result.output


def test_bad_cluster_settings_point_at_their_line(tmp_path):
    for text, expect in (
        ("clusters:\n  mine:\n    gpuTaintEfect: NoSchedule\n", ("gitops.yaml:3", "unknown cluster setting")),
        ("clusters:\n  mine:\n    extends: aks\n", ("gitops.yaml:3", "expected one of eks, generic, gke")),
        ("clusters:\n  mine:\n    gpuTaintEffect: Never\n", ("gitops.yaml:3", "NoSchedule, PreferNoSchedule")),
        ("environments:\n  dev:\n    cluster: Not_A_Name\n", ("gitops.yaml:3", "DNS-1123")),
    ):
        root = make_project(tmp_path / f"p{abs(hash(text))}", {}, text)
        try:
            config_mod.load(str(root))
        except InputError as exc:
            message = str(exc)
        else:
            raise AssertionError(f"accepted: {text}")
        assert all(e in message for e in expect), message
