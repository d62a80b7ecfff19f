"""Event-driven scaling with KEDA: the spec parts `Trigger` and `EventScaling`.

A Worker (or any Service kind) with `event_scaling=EventScaling(...)` gets a KEDA `ScaledObject`
instead of a HorizontalPodAutoscaler (KEDA makes and owns the HPA); a Job with it becomes a
`ScaledJob` (one Job per batch of messages). Credentials a trigger needs come from Secrets or the
workload's cloud identity, through a `TriggerAuthentication`; they are never written in the spec.
Trigger metadata names follow KEDA's scalers (kedacore/keda `pkg/scalers/*_scaler.go`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..frozen import FrozenDict
from ..values import check_dns_label
from .base import _int_in, _Part, _require, wrap_part_init
from .env import FromSecret

# KEDA's pod identity providers (apis/keda/v1alpha1/triggerauthentication_types.go).
IDENTITIES = ("aws", "aws-eks", "gcp", "azure-workload")
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")


# Metadata that must be a number, and the argument of the class methods that sets it.
_NUMERIC = {"value": "messages_per_replica", "queueLength": "messages_per_replica", "lagThreshold": "lag_per_replica",
            "threshold": "threshold", "activationValue": "activation", "activationQueueLength": "activation",
            "activationLagThreshold": "activation", "activationThreshold": "activation"}


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@dataclass(frozen=True, kw_only=True)
class Trigger(_Part):
    """What KEDA watches. Build one with the class methods (each names KEDA's own metadata):

    - Trigger.rabbitmq(queue, host=FromSecret(...), messages_per_replica=20): queue length.
    - Trigger.kafka(topic, bootstrap_servers, consumer_group, lag_per_replica=10): consumer lag;
      `sasl_username`/`sasl_password` as FromSecret when the brokers need SASL.
    - Trigger.sqs(queue_url, region, messages_per_replica=5): an SQS queue, read with the
      workload's own AWS identity (EKS Pod Identity or IRSA on its ServiceAccount).
    - Trigger.pubsub(subscription, messages_per_replica=10): undelivered messages of a Pub/Sub
      subscription, read with GCP Workload Identity.
    - Trigger.prometheus(server, query, threshold): any PromQL query (e.g. a queue exporter).
    `activation`: the value above which KEDA wakes a workload scaled to zero (default 0: any message).

    Attributes:
        type: KEDA's scaler type (`rabbitmq`, `kafka`, `aws-sqs-queue`, ...); the class methods set it.
        metadata: KEDA's metadata of the scaler, as KEDA names it.
        name: a name for the trigger (KEDA's `name`), to tell several apart.
    """

    type: str
    metadata: Mapping[str, str] = field(default_factory=FrozenDict)
    secrets: Mapping[str, FromSecret] = field(default_factory=FrozenDict)  # KEDA parameter -> Secret key
    identity: str | None = None  # KEDA podIdentity provider
    name: str | None = None

    @classmethod
    def rabbitmq(cls, queue: str, host: FromSecret, messages_per_replica: int | str = 20,
                 activation: int | str = 0, **kw: Any) -> "Trigger":
        return cls(type="rabbitmq", metadata={
            "queueName": queue, "mode": "QueueLength", "value": _text(messages_per_replica),
            "activationValue": _text(activation)}, secrets={"host": host}, **kw)

    @classmethod
    def kafka(cls, topic: str, bootstrap_servers: str, consumer_group: str, lag_per_replica: int = 10,
              activation: int = 0, sasl_username: FromSecret | None = None, sasl_password: FromSecret | None = None,
              sasl: str = "scram_sha512", **kw: Any) -> "Trigger":
        metadata = {"topic": topic, "bootstrapServers": bootstrap_servers, "consumerGroup": consumer_group,
                    "lagThreshold": _text(lag_per_replica),
                    "activationLagThreshold": _text(activation)}
        secrets = {key: value for key, value in (("username", sasl_username), ("password", sasl_password))
                   if value is not None}
        if secrets:
            metadata.update(sasl=sasl, tls="enable")
        return cls(type="kafka", metadata=metadata, secrets=secrets, **kw)

    @classmethod
    def sqs(cls, queue_url: str, region: str, messages_per_replica: int = 5, activation: int = 0,
            identity: str = "aws", **kw: Any) -> "Trigger":
        return cls(type="aws-sqs-queue", metadata={
            "queueURL": queue_url, "awsRegion": region, "queueLength": _text(messages_per_replica),
            "activationQueueLength": _text(activation)}, identity=identity, **kw)

    @classmethod
    def pubsub(cls, subscription: str, messages_per_replica: int = 10, activation: int = 0,
               identity: str = "gcp", **kw: Any) -> "Trigger":
        return cls(type="gcp-pubsub", metadata={
            "subscriptionName": subscription, "mode": "SubscriptionSize",
            "value": _text(messages_per_replica),
            "activationValue": _text(activation)}, identity=identity, **kw)

    @classmethod
    def prometheus(cls, server: str, query: str, threshold: int | float | str, activation: int | float | str = 0,
                   **kw: Any) -> "Trigger":
        return cls(type="prometheus", metadata={
            "serverAddress": server, "query": query, "threshold": _text(threshold),
            "activationThreshold": _text(activation)}, **kw)

    def _validate(self) -> None:
        _require(isinstance(self.type, str) and bool(re.match(r"^[a-z0-9][a-z0-9-]*$", self.type)), "type",
                 f"got {self.type!r}; expected a KEDA trigger type such as rabbitmq or aws-sqs-queue")
        _require(isinstance(self.metadata, Mapping), "metadata", f"got {self.metadata!r}; expected a mapping")
        for key, value in self.metadata.items():
            _require(isinstance(key, str) and isinstance(value, str) and value != "", f"metadata[{key!r}]",
                     f"got {value!r}; expected a non-empty string")
            if key in _NUMERIC:
                _require(bool(_NUMBER.match(value)), f"metadata[{key!r}]",
                         f"got {value!r}; expected a number >= 0 ({_NUMERIC[key]})")
        object.__setattr__(self, "metadata", FrozenDict(self.metadata))
        _require(isinstance(self.secrets, Mapping), "secrets", f"got {self.secrets!r}; expected a mapping")
        for key, ref in self.secrets.items():
            _require(isinstance(ref, FromSecret), f"secrets[{key!r}]",
                     f"got {ref!r}; expected FromSecret(name=..., key=...): credentials stay in Secrets")
        object.__setattr__(self, "secrets", FrozenDict(self.secrets))
        _require(self.identity is None or self.identity in IDENTITIES, "identity",
                 f"got {self.identity!r}; expected one of {', '.join(IDENTITIES)} or None")
        if self.name is not None:
            problem = check_dns_label(self.name)
            _require(problem is None, "name", str(problem))

    @property
    def needs_auth(self) -> bool:
        return bool(self.secrets) or self.identity is not None

    @property
    def label(self) -> str:
        """How this trigger names its TriggerAuthentication: its name, else its type."""
        return self.name or self.type


@dataclass(frozen=True, kw_only=True)
class EventScaling(_Part):
    """KEDA scaling on events: a ScaledObject for a long-running kind, a ScaledJob for a Job.

    Defaults, each with its reason:
    - min_replicas=0: scale to zero when there is nothing to do (KEDA keeps the HPA at one and
      removes the last replica itself); the first message wakes it (the triggers' `activation`).
      Set it to 1 or more where a cold start is too slow.
    - max_replicas=10: a bound on what a flood of messages can cost; raise it per environment.
    - polling_seconds=30, cooldown_seconds=300: KEDA's own defaults, written out: how often the
      triggers are read, and how long after the last activity the workload goes back to zero.
    - scale_down_stabilization_seconds=300: as for an HPA, a short dip does not drop warm replicas.
    - For a ScaledJob: successful_jobs_history=3 and failed_jobs_history=3 (recent runs stay
      inspectable), strategy="default" (KEDA's: one Job per message-per-replica target).

    Attributes:
        triggers: `Trigger.*(...)`: what KEDA watches (at least one).
        successful_jobs_history: for a ScaledJob: finished Jobs kept (see above).
        failed_jobs_history: for a ScaledJob: failed Jobs kept (see above).
        strategy: for a ScaledJob: KEDA's scaling strategy, `default`, `custom`, `accurate` or `eager`.
    """

    triggers: tuple[Trigger, ...]
    min_replicas: int = 0
    max_replicas: int = 10
    polling_seconds: int = 30
    cooldown_seconds: int = 300
    scale_down_stabilization_seconds: int = 300
    successful_jobs_history: int = 3
    failed_jobs_history: int = 3
    strategy: str = "default"

    STRATEGIES = ("default", "custom", "accurate", "eager")

    def _validate(self) -> None:
        _require(isinstance(self.triggers, (list, tuple)) and bool(self.triggers)
                 and all(isinstance(t, Trigger) for t in self.triggers), "triggers",
                 f"got {self.triggers!r}; expected a list of Trigger.rabbitmq/kafka/sqs/pubsub/prometheus(...)")
        object.__setattr__(self, "triggers", tuple(self.triggers))
        labels = [t.label for t in self.triggers if t.needs_auth]
        _require(len(set(labels)) == len(labels), "triggers",
                 f"two triggers with credentials share the name {sorted(set(x for x in labels if labels.count(x) > 1))}; "
                 "give each a name=")
        _int_in(self.min_replicas, "min_replicas", 0, 1000)
        _int_in(self.max_replicas, "max_replicas", 1, 10000)
        _require(self.max_replicas >= self.min_replicas, "max_replicas",
                 f"got {self.max_replicas}; must be at least min_replicas ({self.min_replicas})")
        _int_in(self.polling_seconds, "polling_seconds", 1, 3600)
        _int_in(self.cooldown_seconds, "cooldown_seconds", 0, 86400)
        _int_in(self.scale_down_stabilization_seconds, "scale_down_stabilization_seconds", 0, 3600)
        _int_in(self.successful_jobs_history, "successful_jobs_history", 0, 100)
        _int_in(self.failed_jobs_history, "failed_jobs_history", 0, 100)
        _require(self.strategy in self.STRATEGIES, "strategy",
                 f"got {self.strategy!r}; expected one of {', '.join(self.STRATEGIES)}")


for _cls in (Trigger, EventScaling):
    wrap_part_init(_cls)
