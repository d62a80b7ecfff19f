"""A background worker that reads jobs from a queue: no ports, no service; in prod it scales on the
queue's backlog (an external metric) rather than on CPU."""
from gitops import Autoscaling, FromConfigMap, FromSecret, Metric, Probe, Resources, Worker

queue_worker = Worker(
    name="queue-worker",
    image="ghcr.io/acme/queue-worker:1.9.0",
    part_of="storefront",
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
    environments={"prod": {
        "args": ["--queue", "orders", "--concurrency", "16"],
        "autoscaling": Autoscaling(min_replicas=3, max_replicas=30, cpu_percent=None, metrics=[
            Metric.external("queue_messages_ready", average_value=100, selector={"queue": "orders"})]),
    }},
)
