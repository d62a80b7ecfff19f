"""Job: work that runs to completion (batch/v1 Job); `batch_checks` is shared with CronJob and TrainingJob."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..parts.base import _int_in, _require, check_keywords
from ..parts.event_scaling import EventScaling
from ..parts.queueing import check_queue_fields
from ..parts.failure import PodFailureRule
from ..workload import Workload

RESTART_POLICIES = ("Never", "OnFailure")


REPLACEMENT_POLICIES = ("Failed", "TerminatingOrFailed")


def batch_checks(spec: Any) -> None:
    rules = spec.pod_failure_rules
    _require(isinstance(rules, (list, tuple)) and all(isinstance(r, PodFailureRule) for r in rules),
             "pod_failure_rules", f"got {rules!r}; expected a list of PodFailureRule.exit_codes(...) or .condition(...)")
    object.__setattr__(spec, "pod_failure_rules", tuple(rules))
    _require(len(rules) <= 19, "pod_failure_rules", "at most 19 rules (the API server takes 20, one is gitops's own)")
    _require(all(r.action != "FailIndex" for r in rules) or getattr(spec, "backoff_limit_per_index", None) is not None,
             "pod_failure_rules", "FailIndex needs backoff_limit_per_index (an Indexed Job with retries per index)")
    policy = spec.pod_replacement_policy
    _require(policy is None or policy in REPLACEMENT_POLICIES, "pod_replacement_policy",
             f"got {policy!r}; expected Failed, TerminatingOrFailed or None")
    _require(policy != "TerminatingOrFailed" or getattr(spec, "restart_policy", "Never") != "Never",
             "pod_replacement_policy", "TerminatingOrFailed is refused beside a pod failure policy (which gitops "
             "writes whenever restart_policy is Never); use Failed, the policy's own default")
    if spec.backoff_limit is not None:
        _int_in(spec.backoff_limit, "backoff_limit", 0, 100)
    _int_in(spec.active_deadline_seconds, "active_deadline_seconds", 1)
    if spec.ttl_seconds_after_finished is not None:
        _int_in(spec.ttl_seconds_after_finished, "ttl_seconds_after_finished", 0)


@dataclass(frozen=True, kw_only=True)
class Job(Workload):
    """Work that runs to completion: a batch/v1 Job.

    Defaults, each with its reason:
    - restart_policy="Never": each retry is a new pod, so a failed attempt's logs stay readable
      ("OnFailure" restarts the container in place and loses them).
    - backoff_limit=None: 2 (a flaky failure is retried twice, then the Job fails visibly instead
      of retrying for a long time; Kubernetes' own default is 6), or no overall limit when
      backoff_limit_per_index gives each index its own.
    - active_deadline_seconds=3600: a hung Job is stopped after an hour instead of holding its
      nodes forever; raise it for longer work.
    - ttl_seconds_after_finished=None: a Job delivered by Argo CD or Flux must not be deleted by a
      TTL: self-heal (or Flux's next reconcile) would create it again and run it again. It stays,
      Complete, until a change to it replaces it (docs/jobs.md).
    - replaced, not patched: the Job carries `argocd.argoproj.io/sync-options: Force=true,Replace=true`
      and `kustomize.toolkit.fluxcd.io/force: enabled`, because its pod template is immutable: a
      changed Job is deleted and created again (and runs again), an unchanged one is left alone.
    - a pod failure policy that ignores disruptions (preemption, node drain, eviction: the pod
      condition DisruptionTarget), so only real failures count against backoff_limit.
    - pod_failure_rules=(): your own rules come first (a known fatal exit code: FailJob at once,
      instead of using up the retries); pod_replacement_policy=None: Kubernetes' default (Failed
      beside a pod failure policy: a replacement pod starts once the old one has stopped, so two
      never hold the same GPU or claim).
    - backoff_limit_per_index=None; with an Indexed Job, set it to give every index its own retries
      (a bad shard does not use up the others' retries, and the good shards still finish).
    - parallelism=1, completions=1: one pod, one success. completion_mode="Indexed" gives each pod
      its index (JOB_COMPLETION_INDEX) for sharded work.
    - component="batch".
    - queue=None, priority=None: not queued. With `queue="batch"` the Job waits in that Kueue queue
      (gitops.yaml `kueue.queues`) until its quota admits it; `priority` names a `kueue.priorities`
      entry (docs/kueue.md).
    - event_scaling=None: one Job. With `EventScaling(triggers=[...])` a KEDA ScaledJob starts Jobs
      like this one as messages arrive (a batch consumer), none while the queue is empty.

    Attributes:
        completions: successful pods needed (None: any one success with parallelism > 1, as in Kubernetes).
        completion_mode: `NonIndexed` or `Indexed` (each pod gets its index in JOB_COMPLETION_INDEX).
        backoff_limit_per_index: with completion_mode `Indexed`: retries per index (see above).
        pod_replacement_policy: `podReplacementPolicy`: `Failed` starts a replacement pod only once the old one
            has fully terminated (None: Kubernetes' default).
    """

    component: str = "batch"
    restart_policy: str = "Never"
    backoff_limit: int | None = None
    active_deadline_seconds: int = 3600
    ttl_seconds_after_finished: int | None = None
    backoff_limit_per_index: int | None = None
    parallelism: int = 1
    completions: int | None = 1
    completion_mode: str = "NonIndexed"
    queue: str | None = None
    priority: str | None = None
    event_scaling: EventScaling | None = None
    pod_failure_rules: tuple[PodFailureRule, ...] = ()
    pod_replacement_policy: str | None = None

    KIND = "Job"

    def _validate(self) -> None:
        super()._validate()
        _require(self.restart_policy in RESTART_POLICIES, "restart_policy",
                 f"got {self.restart_policy!r}; expected one of {', '.join(RESTART_POLICIES)}")
        batch_checks(self)
        _int_in(self.parallelism, "parallelism", 1, 10000)
        if self.completions is not None:
            _int_in(self.completions, "completions", 1, 100000)
        _require(self.completion_mode in ("NonIndexed", "Indexed"), "completion_mode",
                 f"got {self.completion_mode!r}; expected NonIndexed or Indexed")
        _require(self.completion_mode != "Indexed" or self.completions is not None, "completions",
                 "an Indexed Job needs completions (the number of indexes)")
        if self.backoff_limit_per_index is not None:
            _int_in(self.backoff_limit_per_index, "backoff_limit_per_index", 0, 100)
            _require(self.completion_mode == "Indexed", "backoff_limit_per_index",
                     "retries per index need completion_mode=\"Indexed\"")
        check_queue_fields(self)
        _require(self.event_scaling is None or isinstance(self.event_scaling, EventScaling), "event_scaling",
                 f"got {self.event_scaling!r}; expected EventScaling(...) or None")
        _require(self.event_scaling is None or (self.queue is None and self.priority is None), "event_scaling",
                 "a ScaledJob's Jobs are made by KEDA, not queued by Kueue: set event_scaling or queue/priority, "
                 "not both")


check_keywords(Job, names_app=True)
