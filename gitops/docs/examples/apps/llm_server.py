"""An LLM server (vLLM's OpenAI-compatible API) on one H100, its weights read straight from object
storage: S3 through Mountpoint in dev (EKS), GCS through Cloud Storage FUSE in prod (GKE). The pods
act as a cloud identity bound by each cluster's own mechanism, the Hugging Face token comes from the
environment's secret store, and a shutdown drains the requests in flight."""
from gitops import CloudIdentity, FromSecret, ModelServer, Port, Probe, Resources, Weights

llm_server = ModelServer(
    name="llm-server",
    image="ghcr.io/acme/vllm-openai:v0.8.5",  # vLLM's image, mirrored
    part_of="assistant",
    ports=[Port(name="http", port=8000)],
    args=["--model", "/models", "--served-model-name", "llama-3.1-8b", "--max-model-len", "16384"],
    resources=Resources(cpu="8", memory="48Gi", gpu=1, ephemeral_storage="10Gi"),
    env={"HF_TOKEN": FromSecret(name="huggingface", key="token", provider="ExternalSecret")},
    model_load_seconds=900,
    health_path="/health",
    readiness=Probe.http("/v1/models", period_seconds=5, timeout_seconds=5),
    weights=Weights.s3(bucket="acme-models-dev", path="llama-3.1-8b-instruct", region="us-east-1"),
    # vLLM finishes the requests it holds on SIGTERM; long generations need two minutes.
    pre_stop=10,
    termination_grace_seconds=150,
    tmp_size="4Gi",  # compiled CUDA graphs and torch caches
    identity=CloudIdentity(gcp_service_account="llm-server@acme-prod.iam.gserviceaccount.com",
                           aws_role_arn="arn:aws:iam::123456789012:role/llm-server-models"),
    annotations_for={"pod": {"prometheus.io/scrape": "true", "prometheus.io/port": "8000"}},
    labels={"team": "assistant"},
    environments={
        "prod": {
            # the H100 pool of the prod cluster (gitops.yaml: clusters.gke-h100)
            "cluster": "gke-h100",
            "weights": Weights.gcs(bucket="acme-models", path="llama-3.1-8b-instruct"),
            "replicas": 2,
            "resources": {"memory": "160Gi"},
        },
    },
)
