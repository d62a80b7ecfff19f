"""An example app: a small web service. Copy this file for each of your apps (docs/specs.md)."""
from gitops import App, Port, Probe, Resources

hello = App(
    name="hello",
    image="ghcr.io/example/hello:1.0.0",
    ports=[Port(name="http", port=8080)],
    resources=Resources(cpu="100m", memory="128Mi"),
    readiness=Probe.http("/ready"),
    liveness=Probe.http("/healthz", period_seconds=20),
    labels={"app.kubernetes.io/part-of": "hello"},
    environments={"prod": {"replicas": 3}},
)
