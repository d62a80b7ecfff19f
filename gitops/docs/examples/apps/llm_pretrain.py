"""Pre-training of the product-description model as a gang: a JobSet (a leader and workers, the same
torchrun environment as an Indexed Job) queued by Kueue until the `training` queue has room for
every node at once, restarted as a whole from its last checkpoint when a node is preempted, and
kept alone within one zone."""
from gitops import FromSecret, Resources, TrainingJob, Volume

llm_pretrain = TrainingJob(
    name="llm-pretrain",
    image="ghcr.io/acme/llm-train:0.4.0",
    part_of="storefront",
    output="jobset",
    nodes=4,
    gpus_per_node=4,
    resources=Resources(cpu="40", memory="160Gi"),  # one g2-standard-48 (4 L4) per node
    shm_size="32Gi",
    command=["torchrun"],
    args=["--rdzv-backend=static", "/app/pretrain.py", "--checkpoints", "/checkpoints", "--resume"],
    env={"HF_TOKEN": FromSecret(name="huggingface", key="token", provider="ExternalSecret")},
    volumes=[Volume.pvc("checkpoints", "/checkpoints", size="500Gi", access_modes=["ReadWriteMany"])],
    queue="training",  # Kueue admits all 4 nodes at once, or none
    priority="research",
    exclusive_topology="zone",  # cross-zone traffic would slow every all-reduce
    max_restarts=3,  # real failures; preemptions restart it without counting
    active_deadline_seconds=259200,  # three days
    labels={"team": "storefront"},
    environments={
        # A smoke run in dev: two nodes with one GPU each, within the dev queue's quota.
        "dev": {"nodes": 2, "gpus_per_node": 1, "resources": {"cpu": "12", "memory": "48Gi"}, "shm_size": "8Gi",
                "active_deadline_seconds": 7200},
    },
)
