"""Slow-starting servers use a startup probe, not a large initialDelaySeconds.

A long initial delay on readiness or liveness makes every start that slow, even a warm one, and
still kills a start that is slower than guessed. A startup probe polls until the server is up,
and holds the other probes back until then.

Options: max_initial_delay_seconds (default 60).

Fails:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: i:1
    livenessProbe: {httpGet: {path: /healthz, port: 8000}, initialDelaySeconds: 300}
```

Passes:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: i:1
    startupProbe: {httpGet: {path: /healthz, port: 8000}, periodSeconds: 10, failureThreshold: 30}
    livenessProbe: {httpGet: {path: /healthz, port: 8000}}
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context, containers

ID = "startup-probe-not-delay"
TITLE = "slow-starting servers use a startup probe rather than a large initialDelaySeconds"
SEVERITY = "warning"
REMEDIATION = "use a startupProbe sized for the load time (failureThreshold x periodSeconds) and drop the delay (ModelServer(model_load_seconds=...))"
OPTIONS = {"max_initial_delay_seconds": 60}
SCOPE = "resource"


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    limit = ctx.options["max_initial_delay_seconds"]
    for c, path in containers(res, init=False):
        for key in ("readinessProbe", "livenessProbe"):
            probe = c.get(key)
            delay = probe.get("initialDelaySeconds", 0) if isinstance(probe, dict) else 0
            if isinstance(delay, int) and delay > limit:
                yield Found(res, f"container {c.get('name')!r}: {key} waits {delay}s before its first check",
                            path=f"{path}.{key}.initialDelaySeconds",
                            hint="use a startupProbe sized for the load time (failureThreshold x "
                            "periodSeconds) and drop the delay (ModelServer(model_load_seconds=...))")
