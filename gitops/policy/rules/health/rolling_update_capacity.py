"""A replicated Deployment's rollout keeps serving capacity.

With several replicas, `Recreate` or a `maxUnavailable` that covers every replica takes the
whole service down during each rollout.

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}
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
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
```
"""
from __future__ import annotations

import math

from ....findings import Found
from ...api import (
    replicas,
)

ID = "rolling-update-capacity"
TITLE = "rollouts of replicated Deployments keep capacity"
SEVERITY = "error"
REMEDIATION = "keep maxUnavailable below the replicas (and maxSurge or maxUnavailable above 0)"
KINDS = ("Deployment",)


def check(res, ctx):
    count = replicas(res, ctx)
    if count < 2:
        return
    strategy = (res.obj.get("spec") or {}).get("strategy") or {}
    if strategy.get("type") == "Recreate":
        yield Found(res, f"strategy Recreate stops all {count} "
                    "replicas at each rollout", path="spec.strategy.type")
        return
    value = (strategy.get("rollingUpdate") or {}).get("maxUnavailable", "25%")
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        unavailable = math.floor(count * int(value[:-1]) / 100)
    else:
        unavailable = value if isinstance(value, int) else 0
    if unavailable >= count:
        yield Found(res, f"maxUnavailable {value} lets a "
                    f"rollout stop all {count} replicas", path="spec.strategy.rollingUpdate.maxUnavailable")
