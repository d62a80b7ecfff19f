"""A Deployment sets `progressDeadlineSeconds`, at most `max_seconds` (default 1800).

It is how long a stuck rollout takes to be reported as failed, which is what Argo CD and
Flux wait for; the value should be a deliberate choice, not forgotten.

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
```

Passes:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  progressDeadlineSeconds: 600
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
```
"""
from __future__ import annotations

from ....findings import Found

ID = "progress-deadline"
TITLE = "Deployments set progressDeadlineSeconds, within max_seconds"
SEVERITY = "warning"
REMEDIATION = "set progressDeadlineSeconds, at most the rule's `max_seconds`"
KINDS = ("Deployment",)
OPTIONS = {"max_seconds": 1800}


def check(res, ctx):
    value = (res.obj.get("spec") or {}).get("progressDeadlineSeconds")
    limit = ctx.options["max_seconds"]
    if not isinstance(value, int):
        yield Found(res, "progressDeadlineSeconds is not set",
                    path="spec.progressDeadlineSeconds")
    elif value > limit:
        yield Found(res, f"progressDeadlineSeconds {value} is above "
                    f"{limit}: a stuck rollout goes unreported too long", path="spec.progressDeadlineSeconds")
