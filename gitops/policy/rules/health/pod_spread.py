"""Replicas of a Deployment or StatefulSet are spread across nodes.

Several replicas on one node fall together. Pod anti-affinity or a topology spread constraint
asks the scheduler to keep them apart.

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
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway,
         labelSelector: {matchLabels: {app: api}}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import (
    pod_spec,
    replicas,
)
from .common import REPLICATED

ID = "pod-spread"
TITLE = "replicas are spread by anti-affinity or topology spread constraints"
SEVERITY = "warning"
REMEDIATION = "add topologySpreadConstraints (or pod anti-affinity) over kubernetes.io/hostname or a zone"
KINDS = REPLICATED


def check(res, ctx):
    if replicas(res, ctx) < 2:
        return
    spec, path = pod_spec(res)
    spec = spec or {}
    if not spec.get("topologySpreadConstraints") and not (spec.get("affinity") or {}).get("podAntiAffinity"):
        yield Found(res, f"{replicas(res, ctx)} replicas without pod "
                    "anti-affinity or topology spread constraints", path=path)
