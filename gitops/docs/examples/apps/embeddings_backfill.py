"""A one-off backfill: recompute the detector's image embeddings into the vector database, in 8
shards run 4 at a time (an Indexed Job: each pod reads its shard from JOB_COMPLETION_INDEX), queued
by Kueue in the `batch` queue so it only starts when the batch quota has room."""
from gitops import FromSecret, Job, Resources

embeddings_backfill = Job(
    name="embeddings-backfill",
    image="ghcr.io/acme/embed-backfill:0.7.1",
    part_of="vision",
    command=["python", "-m", "backfill"],
    args=["--shards", "8", "--target", "http://vector-db-client.vector-db-dev.svc:6333"],
    resources=Resources(cpu="1", memory="2Gi"),
    env={"VECTOR_DB_API_KEY": FromSecret(name="vector-db", key="api-key", provider="ExternalSecret")},
    completion_mode="Indexed",
    completions=8,
    parallelism=4,
    backoff_limit_per_index=2,  # each shard retries on its own: one bad shard neither fails nor delays the others
    active_deadline_seconds=7200,
    queue="batch",
    priority="batch",
    labels={"team": "vision"},
    environments={
        "prod": {"parallelism": 8,
                 "args": ["--shards", "8", "--target", "http://vector-db-client.vector-db-prod.svc:6333"]},
    },
)
