"""Distributed PyTorch training of the detector: 2 nodes x 4 GPUs, torchrun, a shared dataset
claim and a checkpoint claim (ReadWriteMany: every node reads the data and writes checkpoints)."""
from gitops import FromSecret, Resources, TrainingJob, Volume

detector_training = TrainingJob(
    name="detector-training",
    image="ghcr.io/acme/yolo-train:8.3.0",
    part_of="vision",
    nodes=2,
    gpus_per_node=4,
    # One pod per g2-standard-48 (4 L4, 192 GiB): GKE leaves about 181 GiB of it allocatable, so the
    # pod asks for less than that (`gitops check` says which node shape a pod fits, docs/admission.md).
    resources=Resources(cpu="32", memory="170Gi"),
    shm_size="32Gi",
    command=["torchrun"],
    args=["--rdzv-backend=static", "/app/train.py", "--data", "/data/coco", "--checkpoints", "/checkpoints",
          "--resume"],
    env={"WANDB_PROJECT": "detector", "WANDB_API_KEY": FromSecret(name="wandb", key="api-key", provider="SealedSecret")},
    volumes=[
        Volume.pvc("datasets", "/data", size="500Gi", access_modes=["ReadWriteMany"], read_only=True),
        Volume.pvc("checkpoints", "/checkpoints", size="200Gi", access_modes=["ReadWriteMany"]),
    ],
    active_deadline_seconds=86400,  # one day: the run's real budget, after which its GPUs are freed
    labels={"team": "vision"},
    environments={
        # A smoke run in dev: the same two-node topology on one GPU each.
        "dev": {"gpus_per_node": 1, "resources": {"cpu": "8", "memory": "48Gi"}, "shm_size": "8Gi",
                "active_deadline_seconds": 7200},
    },
)
