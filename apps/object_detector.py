"""A YOLO-style object-detection model server: slow model load, GPU in production, no downtime."""
from gitops import App, Port, Probe, Resources, Volume

object_detector = App(
    name="object-detector",
    image="ghcr.io/acme/yolo-server:8.3.0",
    component="model-server",
    part_of="vision",
    ports=[Port(name="http", port=8000), Port(name="metrics", port=9090)],
    replicas=2,
    resources=Resources(cpu="1", memory="4Gi"),
    env={"MODEL_PATH": "/models/yolov8n.pt", "CONFIDENCE_THRESHOLD": "0.25"},
    # Loading weights takes up to ~5 minutes on a cold node: a startup probe covers it instead of
    # a long initial delay, and readiness only passes once the model answers.
    startup=Probe.http("/healthz", period_seconds=10, failure_threshold=30),
    readiness=Probe.http("/healthz", period_seconds=5),
    liveness=Probe.http("/healthz", period_seconds=20, failure_threshold=3),
    volumes=[Volume.empty_dir("models", "/models", size_limit="2Gi")],
    max_unavailable=0,
    max_surge=1,
    labels={"team": "vision"},
    environments={
        "prod": {
            "replicas": 3,
            "resources": {"cpu": "2", "memory": "8Gi", "gpu": 1},
            "env": {"DEVICE": "cuda"},
        },
    },
)
