"""Health and rollouts: probes that tell Kubernetes when a pod can serve, and enough pods kept
running through rollouts, node drains and zone failures. (Slow starts: `startup-probe-not-delay`
in ml.py.)"""
from __future__ import annotations

import math
from typing import Any

from ...findings import Finding
from ..api import WORKLOAD_KINDS, containers, items, pod_spec, replicas, restarts_never, selects_every_pod

LONG_RUNNING = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod")
REPLICATED = ("Deployment", "StatefulSet", "ReplicationController")
PROBES = ("readinessProbe", "livenessProbe", "startupProbe")


def _probe_port(probe: dict):
    for action in ("httpGet", "tcpSocket", "grpc"):
        handler = probe.get(action)
        if isinstance(handler, dict) and "port" in handler:
            return action, handler["port"]
    return None, None


def _pdbs_for(res, ctx):
    return ctx.selecting("PodDisruptionBudget", res.namespace, ctx.pod_labels(res)) or \
        [pdb for pdb in ctx.in_namespace(res.namespace, "PodDisruptionBudget") if selects_every_pod(pdb)]


class ReadinessProbe:
    """Every serving container (one that declares ports) has a readiness probe.

    Without one, a pod receives traffic as soon as its process starts, before it can answer, and
    keeps receiving it when it stops answering.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        ports: [{name: http, containerPort: 8080}]
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
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /ready, port: http}}
    ```
    """

    ID = "readiness-probe"
    DESCRIPTION = "every serving container has a readiness probe"
    SEVERITY = "error"
    KINDS = LONG_RUNNING

    @staticmethod
    def check(res, ctx):
        if res.kind not in LONG_RUNNING:
            return
        for c, path in containers(res, init=False):
            if c.get("ports") and not c.get("readinessProbe"):
                yield Finding.about(res, ReadinessProbe.ID, ctx.severity, f"container {c.get('name')!r} serves "
                                    "ports but has no readiness probe", path=f"{path}.readinessProbe",
                                    hint="add a readiness probe that passes only when the container can serve")


class LivenessProbe:
    """Every container of a long-running workload has a liveness probe.

    A process that hangs without exiting is never restarted otherwise. (Jobs and CronJobs are
    exempt: they end; so are pods with `restartPolicy: Never` or `OnFailure`, which run to
    completion.)

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: worker}
    spec:
      containers:
      - name: worker
        image: ghcr.io/acme/worker:1.0
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: worker}
    spec:
      containers:
      - name: worker
        image: ghcr.io/acme/worker:1.0
        livenessProbe: {exec: {command: [worker, health]}}
    ```
    """

    ID = "liveness-probe"
    DESCRIPTION = "every long-running container has a liveness probe"
    SEVERITY = "warning"
    KINDS = LONG_RUNNING

    @staticmethod
    def check(res, ctx):
        if res.kind not in LONG_RUNNING or restarts_never(res):
            return
        for c, path in containers(res, init=False):
            if not c.get("livenessProbe"):
                yield Finding.about(res, LivenessProbe.ID, ctx.severity, f"container {c.get('name')!r} has no "
                                    "liveness probe", path=f"{path}.livenessProbe")


class ProbePorts:
    """Probes use ports the container declares.

    A probe on a misspelled named port fails forever and the pod never becomes ready; a numeric
    port missing from the container's declared ports is usually a leftover.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /ready, port: web}}
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
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /ready, port: http}}
    ```
    """

    ID = "probe-ports"
    DESCRIPTION = "probes target ports the container declares"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res, init=False):
            ports = [p for _, p in items(c.get("ports"))]
            names = {p.get("name") for p in ports}
            numbers = {p.get("containerPort") for p in ports}
            for key in PROBES:
                probe = c.get(key)
                action, port = _probe_port(probe) if isinstance(probe, dict) else (None, None)
                if action is None:
                    continue
                bad = (isinstance(port, str) and port not in names) or \
                      (isinstance(port, int) and ports and port not in numbers)
                if bad:
                    yield Finding.about(res, ProbePorts.ID, ctx.severity, f"container {c.get('name')!r}: {key} "
                                        f"uses port {port!r}, which the container does not declare",
                                        path=f"{path}.{key}.{action}.port")


class ProbesDiffer:
    """Readiness and liveness probes are not identical.

    With identical probes, a pod that is only busy is restarted at the same moment it is taken out
    of the load balancer, turning a slowdown into a crash loop. Make liveness more lenient.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        readinessProbe: {httpGet: {path: /healthz, port: 8080}}
        livenessProbe: {httpGet: {path: /healthz, port: 8080}}
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
        readinessProbe: {httpGet: {path: /healthz, port: 8080}}
        livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 20, failureThreshold: 5}
    ```
    """

    ID = "probes-differ"
    DESCRIPTION = "readiness and liveness probes are not identical"
    SEVERITY = "warning"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res, init=False):
            if c.get("readinessProbe") and c.get("readinessProbe") == c.get("livenessProbe"):
                yield Finding.about(res, ProbesDiffer.ID, ctx.severity, f"container {c.get('name')!r} has identical "
                                    "readiness and liveness probes", path=f"{path}.livenessProbe")


class ProgressDeadline:
    """A Deployment's `progressDeadlineSeconds` is at most `max_seconds` (default 1800).

    It is how long a stuck rollout takes to be reported as failed, which is what Argo CD and
    Flux wait for. Unset, it is Kubernetes' 600 s, within the limit: only a longer value set by
    hand is reported.

    Fails:

    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      progressDeadlineSeconds: 7200
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
      progressDeadlineSeconds: 600
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
    ```
    """

    ID = "progress-deadline"
    DESCRIPTION = "Deployments report a stuck rollout within max_seconds (progressDeadlineSeconds)"
    SEVERITY = "warning"
    KINDS = ("Deployment",)
    OPTIONS = {"max_seconds": 1800}

    @staticmethod
    def check(res, ctx):
        if res.kind != "Deployment":
            return
        value = (res.obj.get("spec") or {}).get("progressDeadlineSeconds")
        limit = ctx.options.get("max_seconds", 1800)
        if isinstance(value, int) and not isinstance(value, bool) and value > limit:
            yield Finding.about(res, ProgressDeadline.ID, ctx.severity, f"progressDeadlineSeconds {value} is above "
                                f"{limit}: a stuck rollout goes unreported too long", path="spec.progressDeadlineSeconds")


class PodDisruptionBudget:
    """A Deployment or StatefulSet running several pods has a PodDisruptionBudget.

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

    ID = "pod-disruption-budget"
    DESCRIPTION = "replicated workloads have a PodDisruptionBudget"
    SEVERITY = "error"
    KINDS = REPLICATED

    @staticmethod
    def check(res, ctx):
        if res.kind in REPLICATED and replicas(res, ctx) >= 2 and not _pdbs_for(res, ctx):
            yield Finding.about(res, PodDisruptionBudget.ID, ctx.severity, f"{replicas(res, ctx)} replicas and no "
                                "PodDisruptionBudget selects them", hint="add a PodDisruptionBudget with maxUnavailable: 1")


class PdbAllowsEviction:
    """A PodDisruptionBudget allows at least one eviction.

    `maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` at or above the workload's
    replicas (or its HPA minimum) blocks every node drain and cluster upgrade.

    Fails:

    ```yaml
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec:
      maxUnavailable: 0
      selector: {matchLabels: {app: api}}
    ```

    Passes:

    ```yaml
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec:
      maxUnavailable: 1
      selector: {matchLabels: {app: api}}
    ```
    """

    ID = "pdb-allows-eviction"
    DESCRIPTION = "PodDisruptionBudgets do not block all evictions"
    SEVERITY = "error"
    KINDS = ("PodDisruptionBudget",)

    @staticmethod
    def check(res, ctx):
        if res.kind != "PodDisruptionBudget":
            return
        spec = res.obj.get("spec") or {}
        max_unavailable, min_available = spec.get("maxUnavailable"), spec.get("minAvailable")
        if max_unavailable in (0, "0%"):
            yield Finding.about(res, PdbAllowsEviction.ID, ctx.severity, "maxUnavailable 0 blocks every eviction",
                                path="spec.maxUnavailable")
        elif min_available == "100%":
            yield Finding.about(res, PdbAllowsEviction.ID, ctx.severity, "minAvailable 100% blocks every eviction",
                                path="spec.minAvailable")
        elif isinstance(min_available, int):
            for workload in ctx.selected(res.namespace, spec.get("selector"), *REPLICATED):
                count = replicas(workload, ctx)
                if min_available >= count:
                    yield Finding.about(res, PdbAllowsEviction.ID, ctx.severity, f"minAvailable {min_available} "
                                        f"is not below the {count} replicas of {workload.ref()}: no eviction is "
                                        "allowed", path="spec.minAvailable")


class RollingUpdateCapacity:
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

    ID = "rolling-update-capacity"
    DESCRIPTION = "rollouts of replicated Deployments keep capacity"
    SEVERITY = "error"
    KINDS = ("Deployment",)

    @staticmethod
    def check(res, ctx):
        if res.kind != "Deployment":
            return
        count = replicas(res, ctx)
        if count < 2:
            return
        strategy = (res.obj.get("spec") or {}).get("strategy") or {}
        if strategy.get("type") == "Recreate":
            yield Finding.about(res, RollingUpdateCapacity.ID, ctx.severity, f"strategy Recreate stops all {count} "
                                "replicas at each rollout", path="spec.strategy.type")
            return
        value = (strategy.get("rollingUpdate") or {}).get("maxUnavailable", "25%")
        if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
            unavailable = math.floor(count * int(value[:-1]) / 100)
        else:
            unavailable = value if isinstance(value, int) else 0
        if unavailable >= count:
            yield Finding.about(res, RollingUpdateCapacity.ID, ctx.severity, f"maxUnavailable {value} lets a "
                                f"rollout stop all {count} replicas", path="spec.strategy.rollingUpdate.maxUnavailable")


class PodSpread:
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

    ID = "pod-spread"
    DESCRIPTION = "replicas are spread by anti-affinity or topology spread constraints"
    SEVERITY = "warning"
    KINDS = REPLICATED

    @staticmethod
    def check(res, ctx):
        if res.kind not in REPLICATED or replicas(res, ctx) < 2:
            return
        spec, path = pod_spec(res)
        spec = spec or {}
        if not spec.get("topologySpreadConstraints") and not (spec.get("affinity") or {}).get("podAntiAffinity"):
            yield Finding.about(res, PodSpread.ID, ctx.severity, f"{replicas(res, ctx)} replicas without pod "
                                "anti-affinity or topology spread constraints", path=path)


class MinReplicas:
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

    ID = "min-replicas"
    DESCRIPTION = "replicated workloads run at least `min` replicas"
    SEVERITY = "error"
    KINDS = REPLICATED
    OPTIONS = {"min": 2}

    @staticmethod
    def check(res, ctx):
        minimum = ctx.options.get("min", 2)
        if res.kind in REPLICATED and replicas(res, ctx) < minimum:
            yield Finding.about(res, MinReplicas.ID, ctx.severity, f"{replicas(res, ctx)} replica(s); at least "
                                f"{minimum} required here", path="spec.replicas")


class PriorityClass:
    """Pods name a PriorityClass (off in `recommended`), optionally one of `allowed`.

    When a cluster runs short, the scheduler preempts pods of lower priority first; without a
    class every pod is equal and a batch job can push out a production API.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      priorityClassName: production-high
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```
    """

    ID = "priority-class"
    DESCRIPTION = "pods name a PriorityClass"
    SEVERITY = "warning"
    KINDS = WORKLOAD_KINDS
    OPTIONS: dict[str, Any] = {"allowed": []}

    @staticmethod
    def check(res, ctx):
        spec, base = pod_spec(res)
        if spec is None:
            return
        name, allowed = spec.get("priorityClassName"), ctx.options.get("allowed") or []
        if not name or (allowed and name not in allowed):
            yield Finding.about(res, PriorityClass.ID, ctx.severity, f"priorityClassName is {name or 'not set'}"
                                + (f"; expected one of {', '.join(allowed)}" if allowed and name else ""),
                                path=f"{base}.priorityClassName")


RULES = [ReadinessProbe, LivenessProbe, ProbePorts, ProbesDiffer, ProgressDeadline,
         PodDisruptionBudget, PdbAllowsEviction, RollingUpdateCapacity, PodSpread, MinReplicas, PriorityClass]
