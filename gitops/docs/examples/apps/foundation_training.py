"""Pre-training on 4 nodes x 8 H100 (EKS p5.48xlarge): torchrun over NCCL on the nodes' 32 EFA
interfaces each, checkpoints to S3 through the pods' IAM role. It runs on the research cluster
(dev) only: prod does not train."""
from gitops import CloudIdentity, PodFailureRule, Resources, TrainingJob

foundation_training = TrainingJob(
    name="foundation-training",
    image="ghcr.io/acme/foundation-train:2.1.0",
    part_of="research",
    cluster="eks-p5",  # the p5 node group of the EKS cluster (gitops.yaml: clusters.eks-p5)
    nodes=4,
    gpus_per_node=8,
    # A p5.48xlarge leaves about 188 vCPU and 1.9 TiB allocatable; EFA needs IPC_LOCK to pin memory.
    resources=Resources(cpu="180", memory="1800Gi", extended={"vpc.amazonaws.com/efa": 32}),
    capabilities=["IPC_LOCK"],
    shm_size="256Gi",
    command=["torchrun"],
    args=["/app/train.py", "--config", "configs/7b.yaml", "--checkpoints", "s3://acme-research/ckpt/7b"],
    env={"FI_PROVIDER": "efa", "FI_EFA_USE_DEVICE_RDMA": "1", "NCCL_DEBUG": "WARN"},
    identity=CloudIdentity(aws_role_arn="arn:aws:iam::123456789012:role/foundation-training"),
    # exit code 3: the config is invalid; retrying cannot help
    pod_failure_rules=[PodFailureRule.exit_codes("FailJob", [3], container="foundation-training")],
    pod_replacement_policy="Failed",  # a replacement starts only once the old pod released its GPUs
    termination_grace_seconds=300,  # time to write an emergency checkpoint on preemption
    active_deadline_seconds=7 * 86400,
    labels={"team": "research"},
    environments={"prod": {"enabled": False}},
)
