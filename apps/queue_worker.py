"""A background worker that reads jobs from a queue: no ports, no service."""
from gitops import App, FromConfigMap, FromSecret, Probe, Resources

queue_worker = App(
    name="queue-worker",
    image="ghcr.io/acme/queue-worker:1.9.0",
    component="worker",
    part_of="storefront",
    service=None,
    command=["python", "-m", "worker"],
    args=["--queue", "orders", "--concurrency", "4"],
    resources=Resources(cpu="200m", memory="512Mi"),
    env={
        "QUEUE_URL": FromSecret(name="queue-credentials", key="url"),
        "REGION": FromConfigMap(name="cluster-info", key="region"),
    },
    liveness=Probe.exec("python", "-m", "worker.healthcheck", period_seconds=30),
    labels={"team": "storefront"},
    # It works off orders the API enqueues: Argo CD syncs it after web-api, Flux waits for web-api.
    depends_on=["web-api"],
    environments={"prod": {"replicas": 3, "args": ["--queue", "orders", "--concurrency", "16"]}},
)
