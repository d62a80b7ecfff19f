"""A Deployment or StatefulSet running several pods has a 

Without one, a node drain may evict every replica at once. Replicas count the HPA minimum when
an HPA scales the workload.

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 3
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
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: api}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    replicas,
)
from .common import REPLICATED, _pdbs_for

ID = "pod-disruption-budget"
TITLE = "replicated workloads have a PodDisruptionBudget"
SEVERITY = "error"
REMEDIATION = "add a PodDisruptionBudget with maxUnavailable: 1"
KINDS = REPLICATED


def check(res, ctx):
    if replicas(res, ctx) >= 2 and not _pdbs_for(res, ctx):
        yield Found(res, f"{replicas(res, ctx)} replicas and no "
                    "PodDisruptionBudget selects them", hint="add a PodDisruptionBudget with maxUnavailable: 1")
