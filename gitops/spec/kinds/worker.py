"""Worker: a long-running process without ports (a queue consumer)."""
from __future__ import annotations

from dataclasses import dataclass

from ..parts.base import _require, check_keywords
from .service import Service


@dataclass(frozen=True, kw_only=True)
class Worker(Service):
    """A long-running process without ports (a queue consumer): a Deployment, no Service.

    Scale it on its queue with KEDA: `event_scaling=EventScaling(triggers=[Trigger.rabbitmq(...)])`
    (RabbitMQ, Kafka, SQS, Pub/Sub or a Prometheus query; down to zero replicas by default), or
    with an HPA on CPU, memory or an external metric: `Autoscaling(..., cpu_percent=None,
    metrics=[Metric.external("queue_depth", average_value=30)])`.

    Attributes:
        component: the component label: `worker`.
    """

    service: str | None = None
    component: str = "worker"

    KIND = "Worker"

    def _validate(self) -> None:
        super()._validate()
        _require(not self.ports, "ports", f"got {self.ports!r}; a Worker has no ports (use Service)")


check_keywords(Worker, names_app=True)
