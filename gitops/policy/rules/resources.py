"""Resources: what each container asks for and may use, so the scheduler can place it and it cannot
starve its neighbours. (GPUs: `gpu-whole-devices` in ml.py.)"""
from __future__ import annotations

from typing import Iterator

from ...findings import Finding
from ..api import WORKLOAD_KINDS, Context, containers, quantity

def _requirements(c: dict) -> tuple[dict, dict]:
    res = c.get("resources") or {}
    return res.get("requests") or {}, res.get("limits") or {}


def _bounded(res, ctx: Context, rule: str, key: str, unit: str) -> Iterator[Finding]:
    low, high = quantity(ctx.options.get("min")), quantity(ctx.options.get("max"))
    for c, path in containers(res):
        requests, limits = _requirements(c)
        if key not in requests and key in limits:
            requests, where = limits, f"{path}.resources.limits.{key}"  # the API server copies the limit
        else:
            where = f"{path}.resources.requests.{key}"
        value = quantity(requests.get(key))
        if value is None:
            yield Finding.about(res, rule, ctx.severity, f"container {c.get('name')!r} has no {key} request",
                                path=where, hint=f"set resources.requests.{key} (e.g. {unit})")
        elif ".initContainers[" in path:
            continue  # bounds size the serving containers; init containers only need a request
        elif low is not None and value < low:
            yield Finding.about(res, rule, ctx.severity, f"container {c.get('name')!r} requests {requests[key]} "
                                f"{key}, below the minimum {ctx.options['min']}", path=where)
        elif high is not None and value > high:
            yield Finding.about(res, rule, ctx.severity, f"container {c.get('name')!r} requests {requests[key]} "
                                f"{key}, above the maximum {ctx.options['max']}", path=where)


class CpuRequests:
    """Every container requests CPU, optionally within bounds.

    Without a request the scheduler places the pod as if it needed nothing, and under contention
    the container gets the smallest share. A container that sets only a limit requests that much
    (the API server copies the limit into the request). `min` and `max` (quantities such as "50m", "4") bound the
    request of the main containers (init containers only need one); set them per environment in
    `policies/policy.yaml`.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {cpu: 100m}}
    ```
    """

    ID = "cpu-requests"
    DESCRIPTION = "every container requests CPU (within min/max when set)"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS
    OPTIONS = {"min": None, "max": None}

    @staticmethod
    def check(res, ctx):
        yield from _bounded(res, ctx, CpuRequests.ID, "cpu", "100m")


class MemoryRequests:
    """Every container requests memory, optionally within bounds.

    The memory request is what the scheduler reserves; a pod without one lands on full nodes and is
    the first evicted. A limit alone counts as the request (the API server copies it). `min` and
    `max` (quantities such as "64Mi", "16Gi") bound the request.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {cpu: 100m}}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {memory: 128Mi}}
    ```
    """

    ID = "memory-requests"
    DESCRIPTION = "every container requests memory (within min/max when set)"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS
    OPTIONS = {"min": None, "max": None}

    @staticmethod
    def check(res, ctx):
        yield from _bounded(res, ctx, MemoryRequests.ID, "memory", "128Mi")


class MemoryLimit:
    """Every container has a memory limit.

    Memory cannot be throttled: a container without a limit can grow until the node kills
    something else. With a limit, only the container that overruns is restarted.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {memory: 128Mi}}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {memory: 128Mi}, limits: {memory: 128Mi}}
    ```
    """

    ID = "memory-limit"
    DESCRIPTION = "every container has a memory limit"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            if quantity(_requirements(c)[1].get("memory")) is None:
                yield Finding.about(res, MemoryLimit.ID, ctx.severity, f"container {c.get('name')!r} has no memory "
                                    "limit", path=f"{path}.resources.limits.memory",
                                    hint="set resources.limits.memory, usually equal to the request")


class CpuLimit:
    """Every container has a CPU limit (off in the `recommended` preset).

    A CPU limit caps bursts: it protects neighbours but throttles the container even on an idle
    node, which is why the recommended preset leaves it off and `strict` turns it on.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {cpu: 100m}}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {cpu: 100m}, limits: {cpu: 500m}}
    ```
    """

    ID = "cpu-limit"
    DESCRIPTION = "every container has a CPU limit"
    SEVERITY = "warning"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            if quantity(_requirements(c)[1].get("cpu")) is None:
                yield Finding.about(res, CpuLimit.ID, ctx.severity, f"container {c.get('name')!r} has no CPU limit",
                                    path=f"{path}.resources.limits.cpu")


class LimitsNotBelowRequests:
    """No limit is below the matching request.

    The API server rejects such a pod at apply time; catching it in review is cheaper.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {memory: 512Mi}, limits: {memory: 256Mi}}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {memory: 256Mi}, limits: {memory: 512Mi}}
    ```
    """

    ID = "limits-not-below-requests"
    DESCRIPTION = "no resource limit is below its request"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            requests, limits = _requirements(c)
            for key in sorted(set(requests) & set(limits)):
                req, lim = quantity(requests[key]), quantity(limits[key])
                if req is not None and lim is not None and lim < req:
                    yield Finding.about(res, LimitsNotBelowRequests.ID, ctx.severity,
                                        f"container {c.get('name')!r}: {key} limit {limits[key]} is below its "
                                        f"request {requests[key]}", path=f"{path}.resources.limits.{key}")


class EphemeralStorage:
    """Every container requests and limits ephemeral storage (off in `recommended`).

    Logs and scratch files fill the node's disk; past the eviction threshold the kubelet evicts
    pods, starting with those that requested none.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources: {requests: {ephemeral-storage: 1Gi}, limits: {ephemeral-storage: 2Gi}}
    ```
    """

    ID = "ephemeral-storage"
    DESCRIPTION = "every container requests and limits ephemeral storage"
    SEVERITY = "warning"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            requests, limits = _requirements(c)
            for where, values in (("requests", requests), ("limits", limits)):
                if "ephemeral-storage" not in values:
                    yield Finding.about(res, EphemeralStorage.ID, ctx.severity, f"container {c.get('name')!r} has "
                                        f"no ephemeral-storage in {where}", path=f"{path}.resources.{where}")


RULES = [CpuRequests, MemoryRequests, MemoryLimit, CpuLimit, LimitsNotBelowRequests, EphemeralStorage]
