"""CronJob -> a batch/v1 CronJob whose Jobs are made like a Job's (plus namespace, identity, config
and claims)."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from ..context import Target
from ..storage import build_claims
from .base import build_common, meta, workload_meta
from ..kueue import build_local_queue, queue_labels
from .job import job_spec

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.cron_job import CronJob


def build(k8s: ModuleType, chart: Chart, t: Target[CronJob]) -> None:
    app = t.app
    build_common(k8s, chart, t)
    build_claims(k8s, chart, t, meta)
    build_local_queue(chart, t)
    k8s.KubeCronJob(chart, "cronjob", metadata=workload_meta(k8s, t), spec=k8s.CronJobSpec(
        schedule=app.schedule,
        time_zone=app.time_zone,
        concurrency_policy=app.concurrency_policy,
        starting_deadline_seconds=app.starting_deadline_seconds,
        successful_jobs_history_limit=app.successful_jobs_history_limit,
        failed_jobs_history_limit=app.failed_jobs_history_limit,
        suspend=app.suspend or None,
        # the Jobs it makes carry the queue labels: Kueue queues each run
        job_template=k8s.JobTemplateSpec(metadata=k8s.ObjectMeta(labels={**t.workload_labels(), **queue_labels(t)}),
                                         spec=job_spec(k8s, t)),
    ))
