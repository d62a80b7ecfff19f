"""A Deployment's `progressDeadlineSeconds` is at most `max_seconds` (default 1800).

It is how long a stuck rollout takes to be reported as failed, which is what Argo CD and
Flux wait for. Unset, it is Kubernetes' 600 s, within the limit: only a longer value set by
hand is reported.

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  progressDeadlineSeconds: 7200
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
TITLE = "Deployments report a stuck rollout within max_seconds (progressDeadlineSeconds)"
SEVERITY = "warning"
REMEDIATION = "set progressDeadlineSeconds, at most the rule's `max_seconds`"
KINDS = ("Deployment",)
OPTIONS = {"max_seconds": 1800}


def check(res, ctx):
    value = (res.obj.get("spec") or {}).get("progressDeadlineSeconds")
    limit = ctx.options["max_seconds"]
    if isinstance(value, int) and not isinstance(value, bool) and value > limit:
        yield Found(res, f"progressDeadlineSeconds {value} is above "
                    f"{limit}: a stuck rollout goes unreported too long", path="spec.progressDeadlineSeconds")
