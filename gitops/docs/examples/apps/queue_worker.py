"""A background worker that reads orders from a RabbitMQ queue: no ports, no service. KEDA scales it
on the queue's length (a ScaledObject, no HPA of our own): down to zero in dev while the queue is
empty, between 3 and 30 replicas in prod."""
from gitops import EventScaling, FromConfigMap, FromSecret, Probe, Resources, Trigger, Worker

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
    # Celery's warm shutdown: on SIGTERM it stops taking messages and finishes the tasks it holds.
    termination_grace_seconds=300,
    labels={"team": "storefront"},
    # One replica per 50 ready messages; KEDA reads the broker URL from the same Secret the worker uses.
    event_scaling=EventScaling(max_replicas=5, triggers=[
        Trigger.rabbitmq("orders", host=FromSecret(name="queue-credentials", key="url"), messages_per_replica=50)]),
    # It works off orders the API enqueues: Argo CD syncs it after web-api, Flux waits for web-api.
    depends_on=["web-api"],
    environments={"prod": {
        "args": ["--queue", "orders", "--concurrency", "16"],
        "event_scaling": {"min_replicas": 3, "max_replicas": 30},
    }},
)
