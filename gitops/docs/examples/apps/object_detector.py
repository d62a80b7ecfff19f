"""A YOLO-style object-detection model server on GPUs: slow model load, no downtime, autoscaled on
the requests each replica has in flight (served by a metrics adapter from the server's /metrics).
In prod a new model goes blue-green: it loads beside the old one and takes the traffic only once
its p95 latency, measured on the preview Service, is within budget."""
from gitops import Analysis, Autoscaling, BlueGreen, FromSecret, Metric, ModelServer, Port, Resources, Weights

object_detector = ModelServer(
    name="object-detector",
    image="ghcr.io/acme/yolo-server:8.3.0",
    part_of="vision",
    ports=[Port(name="http", port=8000), Port(name="metrics", port=9090)],
    resources=Resources(cpu="2", memory="8Gi", gpu=1),
    env={"MODEL_PATH": "/models/yolov8n.pt", "CONFIDENCE_THRESHOLD": "0.25", "DEVICE": "cuda"},
    # Loading the weights onto the GPU takes up to ~5 minutes on a cold node: the startup probe
    # allows that (readiness and liveness on /healthz follow), and the rollout deadline covers it.
    model_load_seconds=300,
    health_path="/healthz",  # liveness: the process answers
    ready_path="/ready",  # readiness: the model is loaded on the GPU and serves
    # The weights are fetched from the model registry before the server starts.
    weights=Weights.download(
        image="ghcr.io/acme/model-fetch:1.4.2",
        command=["model-fetch", "--model", "yolov8n:3", "--to", "/models"],
        env={"REGISTRY_TOKEN": FromSecret(name="model-registry", key="token", provider="ExternalSecret")},
        size="2Gi",
    ),
    autoscaling=Autoscaling(min_replicas=1, max_replicas=2, cpu_percent=None,
                            metrics=[Metric.pods("inference_requests_in_flight", average_value=4)]),
    labels={"team": "vision"},
    environments={
        "prod": {
            "autoscaling": {"min_replicas": 2, "max_replicas": 8, "scale_up_stabilization_seconds": 60},
            "resources": {"cpu": "4", "memory": "16Gi"},
            "rollout": BlueGreen(auto_promote_seconds=600, analysis=Analysis(
                name="p95-latency",
                query='histogram_quantile(0.95, sum by (le) (rate(inference_request_duration_seconds_bucket'
                      '{service="{{args.service}}-preview",namespace="{{args.namespace}}"}[5m])))',
                success="result[0] < 0.25")),
        },
    },
)
