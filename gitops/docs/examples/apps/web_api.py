"""The storefront's public HTTP API: ingress, autoscaling, config and a database secret; in prod a
canary release (Argo Rollouts) that Prometheus' error rate can stop."""
from gitops import (Analysis, App, Autoscaling, Canary, FromSecret, Ingress, Port, Probe, Resources)

web_api = App(
    name="web-api",
    image="ghcr.io/acme/web-api:2.4.1",
    ports=[Port(name="http", port=8080, service_port=80)],
    resources=Resources(cpu="250m", memory="256Mi"),
    env={
        "DATABASE_URL": FromSecret(name="web-api-db", key="url"),
        "PORT": 8080,
    },
    config={"LOG_LEVEL": "info", "CACHE_TTL_SECONDS": "60"},
    readiness=Probe.http("/ready"),
    liveness=Probe.http("/healthz", period_seconds=20),
    # Leave the load balancer's endpoints first (5 s), then let uvicorn finish requests in flight.
    pre_stop=5,
    termination_grace_seconds=35,
    ingress=Ingress(host="api.dev.acme.example", tls_secret="web-api-tls", class_name="nginx"),
    autoscaling=Autoscaling(min_replicas=2, max_replicas=4, cpu_percent=70),
    labels={"team": "storefront"},
    environments={
        "prod": {
            "config": {"LOG_LEVEL": "warning"},
            "ingress": {"host": "api.acme.example"},
            "autoscaling": {"min_replicas": 3, "max_replicas": 20},
            "resources": {"cpu": "500m", "memory": "512Mi"},
            # 10% of the pods, then half, each for 5 minutes, while the share of 5xx answers stays low.
            "rollout": Canary(steps=[10, 50], pause_seconds=300, analysis=Analysis(
                name="error-rate",
                query='sum(rate(http_requests_total{service="{{args.service}}",namespace="{{args.namespace}}",'
                      'code=~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service}}",'
                      'namespace="{{args.namespace}}"}[2m]))',
                success="result[0] < 0.01")),
        },
    },
)
