"""A 70B-parameter model too large for one GPU node: each replica is a LeaderWorkerSet group of two
pods (one per node) forming a Ray cluster; vLLM on the leader shards the layers over both nodes
(pipeline parallel) and over the GPUs of each node (tensor parallel). Requests reach leaders only."""
from gitops import FromSecret, ModelServer, MultiNode, Port, Probe, Resources, Volume

SERVE = ("ray start --head --port=6379 && vllm serve {model} --port 8000 "
         "--tensor-parallel-size {gpus} --pipeline-parallel-size 2")

llm_70b = ModelServer(
    name="llm-70b",
    image="ghcr.io/acme/vllm-openai:v0.11.0",  # vLLM's image, mirrored
    part_of="assistant",
    command=["sh", "-c"],
    args=[SERVE.format(model="meta-llama/Llama-3.1-8B-Instruct", gpus=1)],
    ports=[Port(name="http", port=8000)],
    env={"HF_TOKEN": FromSecret(name="huggingface", key="token", provider="ExternalSecret"),
         "HF_HOME": "/cache"},
    # Each pod downloads its copy of the weights into a claim made and deleted with the pod.
    volumes=[Volume.ephemeral("hf-cache", "/cache", size="50Gi")],
    resources=Resources(cpu="12", memory="48Gi", gpu=1),
    model_load_seconds=1800,
    health_path="/health",
    readiness=Probe.http("/v1/models", period_seconds=10, timeout_seconds=5),
    output="lws",
    # Workers join the leader's Ray cluster (LWS_LEADER_ADDRESS is set by the controller) and hold
    # their share of the model until the group is recreated.
    multi_node=MultiNode(nodes=2, worker_command=["sh", "-c", "ray start --address=$LWS_LEADER_ADDRESS:6379 --block"]),
    labels={"team": "assistant"},
    environments={
        "prod": {
            "args": [SERVE.format(model="meta-llama/Llama-3.3-70B-Instruct", gpus=4)],
            # One pod per g2-standard-48 (4 L4, 192 GiB; about 181 GiB allocatable).
            "resources": {"cpu": "40", "memory": "160Gi", "gpu": 4},
            "volumes": [Volume.ephemeral("hf-cache", "/cache", size="300Gi")],
        },
    },
)
