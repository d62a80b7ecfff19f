"""A batch consumer: every batch of uploaded images becomes one Job that renders thumbnails and
exits. KEDA starts Jobs while messages wait and none while the queue is empty (a ScaledJob): in dev
from an SQS queue (EKS, read with the app's own AWS identity), in prod from a Pub/Sub subscription
(GKE Workload Identity)."""
from gitops import EventScaling, Job, Resources, Trigger

thumbnail_jobs = Job(
    name="thumbnail-jobs",
    image="ghcr.io/acme/thumbnailer:2.1.0",
    part_of="storefront",
    command=["python", "-m", "thumbnailer", "--one-batch"],
    resources=Resources(cpu="500m", memory="1Gi"),
    active_deadline_seconds=900,  # one batch takes minutes: a stuck one frees its slot after 15
    labels={"team": "storefront"},
    event_scaling=EventScaling(max_replicas=20, triggers=[Trigger.sqs(
        "https://sqs.eu-west-1.amazonaws.com/123456789012/uploads", region="eu-west-1", messages_per_replica=10)]),
    environments={"prod": {"event_scaling": EventScaling(max_replicas=100, triggers=[Trigger.pubsub(
        "projects/acme-prod/subscriptions/uploads", messages_per_replica=10)])}},
)
