"""A KEDA ScaledObject scales a workload of the set, and every trigger's authenticationRef names a
TriggerAuthentication of its namespace (or a ClusterTriggerAuthentication) that exists.

KEDA reports a ScaledObject whose target or authentication is missing as not Ready, which Argo CD
shows as Degraded (argo-cd `resource_customizations/keda.sh/ScaledObject/health.lua`), and the
workload is never scaled (from zero: never started). ScaledJobs are checked for their
authentication the same way.

Fails:

```yaml
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker}
spec:
  scaleTargetRef: {name: worker}
  triggers:
  - {type: aws-sqs-queue, metadata: {queueURL: "https://sqs.eu-west-1.amazonaws.com/1/q", awsRegion: eu-west-1}, authenticationRef: {name: worker-sqs}}
```

Passes:

```yaml
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker}
spec:
  scaleTargetRef: {name: worker}
  triggers:
  - {type: aws-sqs-queue, metadata: {queueURL: "https://sqs.eu-west-1.amazonaws.com/1/q", awsRegion: eu-west-1}, authenticationRef: {name: worker-sqs}}
---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: {name: worker-sqs}
spec:
  podIdentity: {provider: aws, identityOwner: workload}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: worker, image: ghcr.io/acme/worker:1.0}]}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map, items
from .keda import target_ref

ID = "keda-references"
TITLE = "KEDA objects name a scale target and trigger authentications that exist"
SEVERITY = "error"
REMEDIATION = "create the workload and TriggerAuthentication the ScaledObject names, or fix the names"
SCOPE = "set"


def check(ctx):
    for res in ctx.of_kind("ScaledObject", "ScaledJob"):
        if not str(res.obj.get("apiVersion", "")).startswith("keda.sh/"):
            continue
        spec = as_map(res.obj.get("spec"))
        if res.kind == "ScaledObject":
            kind, name = target_ref(res)
            if name and ctx.find(kind, name, res.namespace) is None:
                yield Found(res, f"scaleTargetRef {kind}/{name} is not in the set", path="spec.scaleTargetRef",
                            unsure=bool(ctx.unseen))
        for i, trigger in items(spec.get("triggers")):
            ref = as_map(trigger.get("authenticationRef"))
            if not ref.get("name"):
                continue
            kind = str(ref.get("kind") or "TriggerAuthentication")
            namespace = None if kind == "ClusterTriggerAuthentication" else res.namespace
            if ctx.find(kind, str(ref["name"]), namespace) is None:
                yield Found(res, f"trigger {i} ({trigger.get('type')}) authenticates with {kind}/{ref['name']}, "
                            "which is not in the set", path=f"spec.triggers[{i}].authenticationRef",
                            unsure=kind == "ClusterTriggerAuthentication" or bool(ctx.unseen))
