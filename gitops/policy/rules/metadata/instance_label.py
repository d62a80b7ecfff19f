"""A workload's `app.kubernetes.io/instance` label, when set, is the same on the workload and
on its pods (warning).

Dashboards, `kubectl get -l` and Argo CD's resource tracking by label group objects by instance;
a workload whose pods carry another instance is counted in the wrong release. (Polaris'
`metadataAndInstanceMismatched` asks the label to equal `metadata.name`; an instance names a
release of several objects, so only disagreement is reported here.)

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app.kubernetes.io/instance: shop-prod}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, app.kubernetes.io/instance: shop-dev}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
```

Passes:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app.kubernetes.io/instance: shop-prod}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, app.kubernetes.io/instance: shop-prod}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, as_map, pod_template_labels

ID = "instance-label"
TITLE = "workloads and their pods agree on app.kubernetes.io/instance"
SEVERITY = "warning"
REMEDIATION = "give the pod template the workload's app.kubernetes.io/instance value"
KINDS = tuple(k for k in WORKLOAD_KINDS if k != "Pod")
LABEL = "app.kubernetes.io/instance"


def check(res, ctx):
    own = as_map(res.metadata.get("labels")).get(LABEL)
    pods = pod_template_labels(res).get(LABEL)
    if own is not None and pods is not None and own != pods:
        yield Found(res, f"{LABEL} is {own!r} on the {res.kind} but {pods!r} on its pods",
                    path="metadata.labels")
