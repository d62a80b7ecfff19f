"""A fraud-scoring model (scikit-learn) served by KServe: the team's own server image becomes a
ServingRuntime for the sklearn format, KServe fetches the model from the bucket into /mnt/models
and runs it as a plain Deployment with its autoscaler (RawDeployment mode)."""
from gitops import Autoscaling, KServe, ModelServer, Port, Resources

fraud_scorer = ModelServer(
    name="fraud-scorer",
    image="ghcr.io/acme/sklearn-server:2.1.0",
    part_of="payments",
    args=["--model_dir=/mnt/models", "--http_port=8080"],
    ports=[Port(name="http", port=8080)],
    resources=Resources(cpu="1", memory="2Gi"),
    model_load_seconds=120,
    health_path="/v2/health/live",
    ready_path="/v2/health/ready",
    output="kserve",
    # Versioned model folders: a new model is a new URI, so every change is reviewed here.
    kserve=KServe(model_format="sklearn", storage_uri="gs://acme-models/fraud-scorer/v14", protocol="v2"),
    labels={"team": "payments"},
    environments={
        "prod": {
            "resources": {"cpu": "2", "memory": "4Gi"},
            "autoscaling": Autoscaling(min_replicas=3, max_replicas=12, cpu_percent=60),
        },
    },
)
