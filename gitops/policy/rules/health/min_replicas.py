"""A Deployment or StatefulSet runs at least `min` replicas (default 2; on in production).

One replica means downtime at every rollout, node drain and crash. Replicas count the HPA
minimum when an HPA scales the workload.

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 1
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
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    replicas,
)
from .common import REPLICATED

ID = "min-replicas"
TITLE = "replicated workloads run at least `min` replicas"
SEVERITY = "error"
REMEDIATION = "set replicas (or the HPA's minReplicas) to at least the rule's `min`"
KINDS = REPLICATED
OPTIONS = {"min": 2}


def check(res, ctx):
    minimum = ctx.options["min"]
    if replicas(res, ctx) < minimum:
        yield Found(res, f"{replicas(res, ctx)} replica(s); at least "
                    f"{minimum} required here", path="spec.replicas")
