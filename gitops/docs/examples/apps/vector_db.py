"""A vector database (Qdrant) holding the detector's embeddings: one member in dev, a three-member
cluster in prod, each with its own disk, on different nodes and zones."""
from gitops import FromSecret, Port, Probe, Resources, Scheduling, StatefulService, Volume

vector_db = StatefulService(
    name="vector-db",
    image="ghcr.io/acme/mirror/qdrant:v1.12.4",  # Docker Hub's qdrant/qdrant, mirrored
    part_of="vision",
    ports=[Port(name="http", port=6333), Port(name="grpc", port=6334), Port(name="p2p", port=6335)],
    resources=Resources(cpu="1", memory="4Gi"),
    env={"QDRANT__SERVICE__API_KEY": FromSecret(name="vector-db", key="api-key", provider="ExternalSecret")},
    readiness=Probe.http("/readyz", port="http"),
    liveness=Probe.http("/livez", port="http", period_seconds=20),
    volumes=[
        Volume.pvc("storage", "/qdrant/storage", size="20Gi"),
        Volume.empty_dir("snapshots", "/qdrant/snapshots", size_limit="10Gi"),
    ],
    labels={"team": "vision"},
    environments={
        "prod": {
            "replicas": 3,
            "env": {"QDRANT__CLUSTER__ENABLED": "true"},
            "resources": {"cpu": "4", "memory": "32Gi"},
            "volumes": [
                Volume.pvc("storage", "/qdrant/storage", size="500Gi"),
                Volume.empty_dir("snapshots", "/qdrant/snapshots", size_limit="50Gi"),
            ],
            "scheduling": Scheduling(anti_affinity="required",
                                     spread=("topology.kubernetes.io/zone",), priority_class="ml-critical"),
        },
    },
)
