"""A workload's selector matches its own pod template's labels.

The API server rejects a mismatch for Deployments; for other controllers it silently
adopts, or never sees, the pods.

Fails:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
```

Passes:

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
"""
from __future__ import annotations

from ....findings import Found
from ...api import pod_template_labels, selector_matches

ID = "workload-selector"
TITLE = "workload selectors match their pod template labels"
SEVERITY = "error"
REMEDIATION = "make spec.selector match spec.template.metadata.labels"
KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController")


def check(res, ctx):
    selector = (res.obj.get("spec") or {}).get("selector")
    if not selector and (res.kind == "ReplicationController" or res.api_version.endswith("v1beta1")
                         or res.api_version == "apps/v1beta2"):
        return  # defaulted to the template's labels (ReplicationControllers, the old beta APIs)
    if not selector_matches(selector, pod_template_labels(res)):
        yield Found(res, "spec.selector does not match the pod "
                    "template's labels", path="spec.selector")
