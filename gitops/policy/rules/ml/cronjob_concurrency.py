"""CronJobs state their concurrencyPolicy and startingDeadlineSeconds.

The default policy (Allow) lets a slow run overlap the next one, doubling the load and racing
on outputs; without a starting deadline, a controller outage makes missed runs start late all
at once, and more than 100 missed schedules stop the CronJob for good.

Fails:
```yaml
apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i:1}]
```

Passes:
```yaml
apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "0 2 * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 600
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i:1}]
```
"""
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context

ID = "cronjob-concurrency"
TITLE = "CronJobs state concurrencyPolicy and startingDeadlineSeconds"
SEVERITY = "error"
REMEDIATION = "set concurrencyPolicy: Forbid (or Replace)"
OPTIONS: dict[str, Any] = {}
SCOPE = "resource"
KINDS = ("CronJob",)


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    spec = res.obj.get("spec") or {}
    if spec.get("concurrencyPolicy") not in ("Forbid", "Replace", "Allow"):
        yield Found(res, "the CronJob does not state a "
                    "concurrencyPolicy: by default a slow run overlaps the next", path="spec.concurrencyPolicy",
                    hint="set concurrencyPolicy: Forbid (or Replace)")
    if not spec.get("startingDeadlineSeconds"):
        yield Found(res, "the CronJob has no startingDeadlineSeconds: "
                    "missed runs start late, and 100 missed runs stop it", path="spec.startingDeadlineSeconds",
                    hint="set startingDeadlineSeconds (e.g. 600)")
