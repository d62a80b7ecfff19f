"""CronJob: a Job on a schedule (batch/v1 CronJob)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ... import cron
from ..parts.base import _int_in, _Invalid, _require, check_keywords
from .job import Job

_CRON_FIELD = r"(\*|\?|[0-9A-Za-z,\-/*]+)"
_CRON = re.compile(rf"^{_CRON_FIELD}( {_CRON_FIELD}){{4}}$")
_CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


@dataclass(frozen=True, kw_only=True)
class CronJob(Job):
    """A Job on a schedule: a batch/v1 CronJob.

    Defaults, each with its reason:
    - time_zone="Etc/UTC": the schedule means the same whatever the controller's zone.
    - concurrency_policy="Forbid": a slow run never overlaps the next one (which would double the
      load and race on the same outputs).
    - starting_deadline_seconds=600: a run missed by more than 10 minutes (controller down) is
      skipped rather than started late, and more than 100 missed runs never block the schedule.
    - successful_jobs_history_limit=3, failed_jobs_history_limit=3: recent runs stay inspectable.
    - ttl_seconds_after_finished=86400: the Jobs a CronJob makes are not in git, so no GitOps
      controller re-creates them: a finished run is cleaned up after a day.

    Attributes:
        schedule: when to run, in cron syntax (`0 3 * * *`) in `time_zone`; checked when the spec is built.
        suspend: stop scheduling new runs (running ones finish); set it per environment to pause one.
        failed_jobs_history_limit: failed runs kept for inspection (see above).
    """

    schedule: str
    ttl_seconds_after_finished: int | None = 86400
    time_zone: str = "Etc/UTC"
    concurrency_policy: str = "Forbid"
    starting_deadline_seconds: int = 600
    successful_jobs_history_limit: int = 3
    failed_jobs_history_limit: int = 3
    suspend: bool = False

    KIND = "CronJob"

    def _validate(self) -> None:
        super()._validate()
        _require(self.event_scaling is None, "event_scaling",
                 "a CronJob runs on its schedule; for Jobs started by messages use a Job with event_scaling")
        _require(isinstance(self.schedule, str) and (self.schedule in _CRON_MACROS or bool(_CRON.match(self.schedule))),
                 "schedule", f"got {self.schedule!r}; expected five cron fields such as '0 2 * * *' or @daily")
        if isinstance(self.schedule, str) and (problem := cron.schedule_error(self.schedule)):
            raise _Invalid("schedule", f"got {self.schedule!r}: {problem} (as the API server parses it)")
        _require(isinstance(self.time_zone, str) and bool(re.match(r"^[A-Za-z_]+(/[A-Za-z0-9_+\-]+)*$", self.time_zone)),
                 "time_zone", f"got {self.time_zone!r}; expected a tz database name such as Europe/Paris")
        # the same tz database lookup `gitops check` makes (api-cron-time-zone): refused here first
        _require(cron.time_zone_error(self.time_zone) is None, "time_zone",
                 f"got {self.time_zone!r}; not a time zone of the tz database (e.g. Europe/Paris, America/New_York)")
        _require(self.concurrency_policy in ("Allow", "Forbid", "Replace"), "concurrency_policy",
                 f"got {self.concurrency_policy!r}; expected Allow, Forbid or Replace")
        _int_in(self.starting_deadline_seconds, "starting_deadline_seconds", 10)
        _int_in(self.successful_jobs_history_limit, "successful_jobs_history_limit", 0, 100)
        _int_in(self.failed_jobs_history_limit, "failed_jobs_history_limit", 0, 100)
        _require(isinstance(self.suspend, bool), "suspend", f"got {self.suspend!r}; expected True or False")


check_keywords(CronJob, names_app=True)
