"""A workload is scaled either by a KEDA ScaledObject or by a HorizontalPodAutoscaler, never both.

KEDA makes and owns the HPA of a ScaledObject (`keda-hpa-<name>`). Its admission webhook refuses
a ScaledObject whose target another HPA already scales, and an HPA whose target a ScaledObject
scales (kedacore/keda `apis/keda/v1alpha1/scaledobject_webhook.go`: "the workload ... is already
managed by the hpa ..."); without the webhook, the two autoscalers set the replica count in turn.
The HPA that KEDA itself made (label `scaledobject.keda.sh/name`, or owned by the ScaledObject)
is not a conflict.

Fails:

```yaml
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker}
spec:
  scaleTargetRef: {name: worker}
  triggers: [{type: rabbitmq, metadata: {queueName: orders, mode: QueueLength, value: "20"}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: worker}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
  minReplicas: 1
  maxReplicas: 5
```

Passes:

```yaml
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker}
spec:
  scaleTargetRef: {name: worker}
  triggers: [{type: rabbitmq, metadata: {queueName: orders, mode: QueueLength, value: "20"}}]
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map
from .keda import made_by_keda, scaled_objects, target_ref

ID = "keda-hpa-conflict"
TITLE = "no HorizontalPodAutoscaler beside a KEDA ScaledObject for the same workload"
SEVERITY = "error"
REMEDIATION = "remove the HorizontalPodAutoscaler: KEDA makes and owns the HPA of a ScaledObject"
SCOPE = "set"


def check(ctx):
    scaled = {(res.namespace, *target_ref(res)): res for res in scaled_objects(ctx)}
    if not scaled:
        return
    for hpa in ctx.of_kind("HorizontalPodAutoscaler"):
        if made_by_keda(hpa):
            continue
        ref = as_map(as_map(hpa.obj.get("spec")).get("scaleTargetRef"))
        owner = scaled.get((hpa.namespace, str(ref.get("kind", "")), str(ref.get("name", ""))))
        if owner is not None:
            yield Found(hpa, f"scales {ref.get('kind')}/{ref.get('name')}, which {owner.ref()} scales too; KEDA "
                        "refuses a second autoscaler for the same workload", path="spec.scaleTargetRef",
                        hint="remove this HorizontalPodAutoscaler (KEDA makes its own) or the ScaledObject")
