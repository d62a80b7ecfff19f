"""Autoscaling: HorizontalPodAutoscalers that can work, on targets they can measure."""
from __future__ import annotations

from ...findings import Finding
from ..api import as_map, containers, items


def _spec(res) -> dict:
    spec = res.obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _target(res, ctx):
    ref = _spec(res).get("scaleTargetRef") or {}
    return ref, ctx.find(ref.get("kind", ""), ref.get("name", ""), res.namespace)


class HpaBounds:
    """An HPA's `minReplicas` is at least 1 and not above `maxReplicas`.

    Fails:

    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 5
      maxReplicas: 3
    ```

    Passes:

    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 2
      maxReplicas: 6
    ```
    """

    ID = "hpa-bounds"
    DESCRIPTION = "HPA minReplicas is at least 1 and at most maxReplicas"
    SEVERITY = "error"
    KINDS = ("HorizontalPodAutoscaler",)

    @staticmethod
    def check(res, ctx):
        if res.kind != "HorizontalPodAutoscaler":
            return
        low, high = _spec(res).get("minReplicas", 1), _spec(res).get("maxReplicas")
        if isinstance(low, int) and low < 1:
            yield Finding.about(res, HpaBounds.ID, ctx.severity, f"minReplicas {low} is below 1", path="spec.minReplicas")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            yield Finding.about(res, HpaBounds.ID, ctx.severity, f"minReplicas {low} is above maxReplicas {high}",
                                path="spec.minReplicas")


class HpaMinReplicas:
    """An HPA keeps at least `min` replicas (default 2; on in production in the presets).

    An autoscaler allowed to go down to one pod brings back the single point of failure it
    scaled away from.

    Fails:

    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 1
      maxReplicas: 6
    ```

    Passes:

    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 2
      maxReplicas: 6
    ```
    """

    ID = "hpa-min-replicas"
    DESCRIPTION = "HPA minReplicas is at least `min`"
    SEVERITY = "error"
    KINDS = ("HorizontalPodAutoscaler",)
    OPTIONS = {"min": 2}

    @staticmethod
    def check(res, ctx):
        if res.kind != "HorizontalPodAutoscaler":
            return
        low, minimum = _spec(res).get("minReplicas", 1), ctx.options.get("min", 2)
        if isinstance(low, int) and low < minimum:
            yield Finding.about(res, HpaMinReplicas.ID, ctx.severity, f"minReplicas {low}; at least {minimum} "
                                "required here", path="spec.minReplicas")


class HpaTarget:
    """An HPA scales a workload in the set whose containers request what it measures.

    Utilization targets are percentages of the request: with no CPU request, a CPU target has
    nothing to measure against and the HPA never scales.

    Fails:

    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: apii}
      minReplicas: 2
      maxReplicas: 6
    ```

    Passes:

    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 2
      maxReplicas: 6
      metrics:
      - type: Resource
        resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec:
          containers:
          - {name: api, image: ghcr.io/acme/api:1.0, resources: {requests: {cpu: 100m}}}
    ```
    """

    ID = "hpa-target"
    DESCRIPTION = "HPA targets an existing workload that requests the measured resources"
    SEVERITY = "error"
    SCOPE = "set"

    @staticmethod
    def check(ctx):
        for res in ctx.of_kind("HorizontalPodAutoscaler"):
            ref, target = _target(res, ctx)
            if target is None:
                yield Finding.about(res, HpaTarget.ID, ctx.severity, f"scaleTargetRef {ref.get('kind')}/"
                                    f"{ref.get('name')} is not in the set", path="spec.scaleTargetRef")
                continue
            for i, metric in items(_spec(res).get("metrics")):
                resource = as_map(metric.get("resource"))
                if metric.get("type") != "Resource" or as_map(resource.get("target")).get("type") != "Utilization":
                    continue
                name = resource.get("name")
                for c, _path in containers(target, init=False):
                    if name not in as_map(as_map(c.get("resources")).get("requests")):
                        yield Finding.about(res, HpaTarget.ID, ctx.severity, f"scales on {name} utilization but "
                                            f"container {c.get('name')!r} of {target.ref()} requests no {name}",
                                            path=f"spec.metrics[{i}]")


class HpaNoReplicas:
    """A workload scaled by an HPA does not also set `replicas`.

    Each apply from Git resets the replica count to the fixed value, fighting the autoscaler.

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
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 2
      maxReplicas: 6
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
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: api}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 2
      maxReplicas: 6
    ```
    """

    ID = "hpa-no-replicas"
    DESCRIPTION = "workloads scaled by an HPA do not set replicas"
    SEVERITY = "error"
    SCOPE = "set"

    @staticmethod
    def check(ctx):
        for res in ctx.of_kind("HorizontalPodAutoscaler"):
            _, target = _target(res, ctx)
            if target is not None and "replicas" in _spec(target):
                yield Finding.about(target, HpaNoReplicas.ID, ctx.severity, f"sets replicas while {res.ref()} "
                                    "scales it", path="spec.replicas", hint="remove spec.replicas")


RULES = [HpaBounds, HpaMinReplicas, HpaTarget, HpaNoReplicas]
