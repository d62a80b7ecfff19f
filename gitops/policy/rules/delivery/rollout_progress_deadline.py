"""rollout-progress-deadline: a Deployment whose pods may start slower than its progress deadline.

Kubernetes marks a rollout failed when no new pod becomes ready within `progressDeadlineSeconds`
(default 600); Argo CD then shows the app Degraded and Flux's health check fails, although the
pods were only slow. The worst-case start of a container is its startup probe's budget
(`initialDelaySeconds + periodSeconds * failureThreshold`) plus its readiness probe's
`initialDelaySeconds + periodSeconds * successThreshold`, plus the Deployment's `minReadySeconds`.

Options: `margin_seconds` (default 0): extra time the deadline must leave beyond the worst case.

Fails (startup may take 30 * 30 = 900 s):

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: model, namespace: ml}
spec:
  progressDeadlineSeconds: 600
  template:
    spec:
      containers:
      - {name: m, image: ghcr.io/acme/model:1.0, startupProbe: {periodSeconds: 30, failureThreshold: 30}}
```

Passes (the deadline covers the worst case):

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: model, namespace: ml}
spec:
  progressDeadlineSeconds: 1020
  template:
    spec:
      containers:
      - {name: m, image: ghcr.io/acme/model:1.0, startupProbe: {periodSeconds: 30, failureThreshold: 30}}
```
"""
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ....manifests.probes import Timing, start_budget
from ....manifests.resource import Resource
from ...api import Context, as_map, containers

ID = "rollout-progress-deadline"
TITLE = "A Deployment's pods may take longer to become ready than progressDeadlineSeconds allows"
SEVERITY = "error"
REMEDIATION = "raise progressDeadlineSeconds above the worst-case start time, or shorten the startup probe"
OPTIONS: dict[str, Any] = {"margin_seconds": 0}
SCOPE = "resource"
KINDS = ("Deployment",)
DEFAULT_DEADLINE = 600  # Kubernetes' default


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    spec = as_map(res.obj.get("spec"))
    deadline = _int(spec.get("progressDeadlineSeconds"), DEFAULT_DEADLINE)
    min_ready = _int(spec.get("minReadySeconds"), 0)
    margin = _int(ctx.options["margin_seconds"], 0)
    worst, where = 0, ""
    for container, path in containers(res, init=False):
        budget = start_budget(Timing.of(container.get("startupProbe")), Timing.of(container.get("readinessProbe")))
        if budget > worst:
            worst, where = budget, f"{path} ({container.get('name', '?')})"
    needed = worst + min_ready + margin
    if worst and needed > deadline:
        yield Found(res, f"{res.ref()}: a pod may need {worst + min_ready}s to become ready ({where} probes"
                    f"{f' + minReadySeconds {min_ready}' if min_ready else ''}), longer than "
                    f"progressDeadlineSeconds {deadline}: the rollout would be marked failed and the app "
                    "Degraded while it is still starting",
                    path="spec.progressDeadlineSeconds",
                    hint=f"set progressDeadlineSeconds to at least {needed + 60}, or shorten the startup probe")
