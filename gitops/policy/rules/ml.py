"""Rules for the shapes ML teams run: GPU pods, distributed training Jobs, slow-starting model
servers, batch Jobs and CronJobs. A family module: each class below is one rule (see api.py)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Iterator

from ...findings import Finding
from ...manifests.resource import Resource
from ..api import Context, as_map, containers, pod_spec

GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915")
GPU_NODE_LABELS = ("nvidia.com/gpu.present", "cloud.google.com/gke-accelerator", "k8s.amazonaws.com/accelerator",
                   "eks.amazonaws.com/instance-gpu-manufacturer", "eks.amazonaws.com/instance-gpu-name",
                   "node.kubernetes.io/instance-type")
COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _gpu_containers(res: Resource, ctx: Context) -> Iterator[tuple[dict, str, str]]:
    """(container, path, resource name) for every GPU a container asks for."""
    names = ctx.options.get("gpu_resources", GPU_RESOURCES)
    for c, path in containers(res):
        resources = as_map(c.get("resources"))
        asked = set((resources.get("limits") or {})) | set((resources.get("requests") or {}))
        for name in sorted(asked):
            if name in names:
                yield c, path, name


def _job_spec(res: Resource) -> tuple[dict | None, str]:
    spec = as_map(res.obj.get("spec"))
    if res.kind == "Job":
        return spec, "spec"
    if res.kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec")
        return (job, "spec.jobTemplate.spec") if isinstance(job, dict) else (None, "")
    return None, ""


def _is_training(res: Resource, ctx: Context) -> bool:
    """A distributed training Job: labelled so, or an Indexed Job whose pods use GPUs."""
    if res.kind != "Job":
        return False
    labels = res.metadata.get("labels") or {}
    if labels.get("app.kubernetes.io/component") == "training":
        return True
    job, _ = _job_spec(res)
    return (job or {}).get("completionMode") == "Indexed" and any(_gpu_containers(res, ctx))


class GpuWholeDevices:
    """GPU requests equal limits and are whole numbers.

    Extended resources such as GPUs cannot be overcommitted or shared by a fraction: the API server
    refuses requests that differ from limits, and `0.5` of a GPU is not schedulable. Declaring the
    limit alone is allowed (the request defaults to it).

    Options: gpu_resources, the resource names that are GPUs.

    Fails (a fraction, and a request above the limit):
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
      - name: c
        image: i:1
        resources: {requests: {nvidia.com/gpu: "2"}, limits: {nvidia.com/gpu: "0.5"}}
    ```

    Passes:
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
      - name: c
        image: i:1
        resources: {requests: {nvidia.com/gpu: "1"}, limits: {nvidia.com/gpu: "1"}}
    ```
    """

    ID = "gpu-whole-devices"
    DESCRIPTION = "GPU requests equal limits and are whole numbers"
    SEVERITY = "error"
    OPTIONS = {"gpu_resources": list(GPU_RESOURCES)}
    SCOPE = "resource"

    @staticmethod
    def check(res: Resource, ctx: Context) -> Iterator[Finding]:
        rid, sev = GpuWholeDevices.ID, ctx.severity
        for c, path, name in _gpu_containers(res, ctx):
            resources = c["resources"]
            limit = (resources.get("limits") or {}).get(name)
            request = (resources.get("requests") or {}).get(name)
            where = f"{path}.resources"
            if limit is None:
                yield Finding.about(res, rid, sev, f"container {c.get('name')!r} requests {name} without a limit",
                                    path=f"{where}.requests", hint=f"set limits.{name} to the same whole number")
                continue
            for label, value in (("limit", limit), ("request", request)):
                number = _number(value) if value is not None else None
                if value is not None and (number is None or number != number.to_integral_value() or number < 0):
                    yield Finding.about(res, rid, sev, f"container {c.get('name')!r}: {name} {label} {value!r} is not "
                                        "a whole number of devices", path=f"{where}.{label}s",
                                        hint="GPUs are whole devices: use 1, 2, ...")
            if request is not None and _number(request) != _number(limit):
                yield Finding.about(res, rid, sev, f"container {c.get('name')!r}: {name} request {request!r} differs "
                                    f"from its limit {limit!r}", path=f"{where}.requests",
                                    hint="extended resources cannot be overcommitted: make the request equal the limit")


class GpuNodePlacement:
    """GPU pods tolerate the GPU taint and select GPU nodes.

    GPU nodes are tainted so that other pods stay off them: a GPU pod without the toleration never
    schedules; one that does not select GPU nodes (nodeSelector or required node affinity on the
    GPU node label) may wait for a GPU on a pool that has none, or trigger the wrong autoscaling.

    Options: gpu_taint_key (default nvidia.com/gpu), gpu_node_labels (labels that mark GPU nodes).

    Fails:
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
      - {name: c, image: i:1, resources: {limits: {nvidia.com/gpu: "1"}}}
    ```

    Passes:
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      nodeSelector: {nvidia.com/gpu.present: "true"}
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
      - {name: c, image: i:1, resources: {limits: {nvidia.com/gpu: "1"}}}
    ```
    """

    ID = "gpu-node-placement"
    DESCRIPTION = "GPU pods tolerate the GPU taint and select GPU nodes"
    SEVERITY = "error"
    OPTIONS = {"gpu_resources": list(GPU_RESOURCES), "gpu_taint_key": "nvidia.com/gpu",
               "gpu_node_labels": list(GPU_NODE_LABELS)}
    SCOPE = "resource"

    @staticmethod
    def check(res: Resource, ctx: Context) -> Iterator[Finding]:
        if not any(_gpu_containers(res, ctx)):
            return
        spec, base = pod_spec(res)
        if spec is None:  # no pod spec means no containers, so no GPUs either
            return
        taint = ctx.options.get("gpu_taint_key", "nvidia.com/gpu")
        labels = set(ctx.options.get("gpu_node_labels", GPU_NODE_LABELS))
        tolerations = [t for t in spec.get("tolerations") or [] if isinstance(t, dict)]
        if not any(t.get("key") == taint or (t.get("key") in (None, "") and t.get("operator") == "Exists")
                   for t in tolerations):
            yield Finding.about(res, GpuNodePlacement.ID, ctx.severity,
                                f"the pod asks for GPUs but does not tolerate the {taint} taint: it will never schedule "
                                "on a GPU node", path=f"{base}.tolerations",
                                hint=f"add a toleration for {taint} (gitops adds it from the cluster profile)")
        selected = set((spec.get("nodeSelector") or {}))
        required = ((((spec.get("affinity") or {}).get("nodeAffinity") or {})
                     .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or [])
        terms = [{e.get("key") for e in (t.get("matchExpressions") or []) if isinstance(e, dict)}
                 for t in required if isinstance(t, dict)]
        if not (selected & labels) and not (terms and all(keys & labels for keys in terms)):
            yield Finding.about(res, GpuNodePlacement.ID, ctx.severity,
                                "the pod asks for GPUs but does not select GPU nodes", path=f"{base}.nodeSelector",
                                hint=f"select nodes by one of {', '.join(sorted(labels))} (nodeSelector or required "
                                "node affinity)")


def _shm_volume(spec: dict, container: dict) -> tuple[dict | None, bool]:
    """(the volume mounted at /dev/shm, whether it is a memory-backed emptyDir)."""
    names = [m.get("name") for m in container.get("volumeMounts") or [] if m.get("mountPath") == "/dev/shm"]
    for v in spec.get("volumes") or []:
        if isinstance(v, dict) and v.get("name") in names:
            empty = v.get("emptyDir")
            return v, isinstance(empty, dict) and empty.get("medium") == "Memory"
    return None, False


class TrainingShmSize:
    """Training Jobs mount a memory-backed /dev/shm with a size limit.

    PyTorch DataLoader workers and NCCL pass data through shared memory; a container's /dev/shm is
    64Mi, which crashes them with a bus error. An emptyDir with `medium: Memory` fixes it, and its
    `sizeLimit` keeps it within the memory limit (the shared memory counts against it).

    Fails:
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train, labels: {app.kubernetes.io/component: training}}
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i:1}]
    ```

    Passes:
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train, labels: {app.kubernetes.io/component: training}}
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i:1, volumeMounts: [{name: dshm, mountPath: /dev/shm}]}]
          volumes: [{name: dshm, emptyDir: {medium: Memory, sizeLimit: 8Gi}}]
    ```
    """

    ID = "training-shm-size"
    DESCRIPTION = "training Jobs mount a memory-backed /dev/shm with a size limit"
    SEVERITY = "error"
    OPTIONS: dict[str, Any] = {}
    SCOPE = "resource"

    @staticmethod
    def check(res: Resource, ctx: Context) -> Iterator[Finding]:
        if not _is_training(res, ctx):
            return
        spec, base = pod_spec(res)
        if spec is None:
            return
        for c, path in containers(res, init=False):
            volume, in_memory = _shm_volume(spec, c)
            if volume is None or not in_memory:
                yield Finding.about(res, TrainingShmSize.ID, ctx.severity,
                                    f"container {c.get('name')!r} has no memory-backed /dev/shm: DataLoader workers "
                                    "crash with the 64Mi default", path=f"{path}.volumeMounts",
                                    hint="mount an emptyDir {medium: Memory, sizeLimit: ...} at /dev/shm "
                                    "(TrainingJob(shm_size=...))")
            elif not volume["emptyDir"].get("sizeLimit"):
                yield Finding.about(res, TrainingShmSize.ID, ctx.severity,
                                    f"/dev/shm of container {c.get('name')!r} has no sizeLimit: it can grow until the "
                                    "pod is killed for memory", path=f"{base}.volumes",
                                    hint="set emptyDir.sizeLimit below the memory limit")


class TrainingIndexedCompletion:
    """Distributed training Jobs run every worker at once, indexed, behind a headless Service.

    Each worker needs a stable rank (the completion index of an Indexed Job), all of them must run
    together (completions == parallelism: a collective waits for every rank), and node 0 must be
    reachable by name (a headless Service named by the pod template's `subdomain`).

    Fails:
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train, labels: {app.kubernetes.io/component: training}}
    spec:
      completions: 4
      parallelism: 2
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i:1}]
    ```

    Passes (with its headless Service):
    ```yaml
    apiVersion: v1
    kind: Service
    metadata: {name: train}
    spec: {clusterIP: None, selector: {app: train}, ports: [{port: 29500}]}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train, labels: {app.kubernetes.io/component: training}}
    spec:
      completionMode: Indexed
      completions: 2
      parallelism: 2
      template:
        spec:
          subdomain: train
          restartPolicy: Never
          containers: [{name: c, image: i:1}]
    ```
    """

    ID = "training-indexed-completion"
    DESCRIPTION = "training Jobs are Indexed, with completions == parallelism and a headless Service"
    SEVERITY = "error"
    OPTIONS: dict[str, Any] = {}
    SCOPE = "resource"

    @staticmethod
    def check(res: Resource, ctx: Context) -> Iterator[Finding]:
        if not _is_training(res, ctx):
            return
        rid, sev = TrainingIndexedCompletion.ID, ctx.severity
        job, _ = _job_spec(res)
        if job is None:
            return
        if job.get("completionMode") != "Indexed":
            yield Finding.about(res, rid, sev, "a training Job without completionMode Indexed gives its workers no rank",
                                path="spec.completionMode", hint="set completionMode: Indexed")
        completions, parallelism = job.get("completions"), job.get("parallelism", 1)
        if completions != parallelism:
            yield Finding.about(res, rid, sev, f"completions ({completions}) differs from parallelism ({parallelism}): "
                                "the workers of one collective would not all run at once", path="spec.parallelism",
                                hint="set completions and parallelism to the number of nodes")
        spec, base = pod_spec(res)
        if spec is None:
            return
        subdomain = spec.get("subdomain")
        service = ctx.find("Service", subdomain, res.namespace or None) if subdomain else None
        if service is None or (service.obj.get("spec") or {}).get("clusterIP") != "None":
            yield Finding.about(res, rid, sev, "workers cannot find node 0: no headless Service matches the pod "
                                f"template's subdomain ({subdomain!r})", path=f"{base}.subdomain",
                                hint="add a Service with clusterIP: None named as spec.template.spec.subdomain")


def _budget(probe: dict) -> int:
    return int(probe.get("initialDelaySeconds", 0)) + int(probe.get("periodSeconds", 10)) * int(probe.get("failureThreshold", 3))


class StartupProbeNotDelay:
    """Slow-starting servers use a startup probe, not a large initialDelaySeconds.

    A long initial delay on readiness or liveness makes every start that slow, even a warm one, and
    still kills a start that is slower than guessed. A startup probe polls until the server is up,
    and holds the other probes back until then.

    Options: max_initial_delay_seconds (default 60).

    Fails:
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
      - name: c
        image: i:1
        livenessProbe: {httpGet: {path: /healthz, port: 8000}, initialDelaySeconds: 300}
    ```

    Passes:
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
      - name: c
        image: i:1
        startupProbe: {httpGet: {path: /healthz, port: 8000}, periodSeconds: 10, failureThreshold: 30}
        livenessProbe: {httpGet: {path: /healthz, port: 8000}}
    ```
    """

    ID = "startup-probe-not-delay"
    DESCRIPTION = "slow-starting servers use a startup probe rather than a large initialDelaySeconds"
    SEVERITY = "warning"
    OPTIONS = {"max_initial_delay_seconds": 60}
    SCOPE = "resource"

    @staticmethod
    def check(res: Resource, ctx: Context) -> Iterator[Finding]:
        limit = ctx.options.get("max_initial_delay_seconds", 60)
        for c, path in containers(res, init=False):
            for key in ("readinessProbe", "livenessProbe"):
                probe = c.get(key)
                delay = probe.get("initialDelaySeconds", 0) if isinstance(probe, dict) else 0
                if isinstance(delay, int) and delay > limit:
                    yield Finding.about(res, StartupProbeNotDelay.ID, ctx.severity,
                                        f"container {c.get('name')!r}: {key} waits {delay}s before its first check",
                                        path=f"{path}.{key}.initialDelaySeconds",
                                        hint="use a startupProbe sized for the load time (failureThreshold x "
                                        "periodSeconds) and drop the delay (ModelServer(model_load_seconds=...))")


class JobDeadlineAndTtl:
    """Jobs have activeDeadlineSeconds and ttlSecondsAfterFinished.

    Without a deadline a hung Job holds its nodes (and GPUs) forever; without a TTL finished Jobs
    and their pods pile up in the namespace. Applies to Jobs and to the Jobs a CronJob makes; a
    CronJob needs no TTL, its history limits (3 successful, 1 failed by default) remove old Jobs,
    nor does an Argo CD hook Job or a Helm hook with a delete policy: the hook policy removes it,
    nor a Job delivered as a run-once Job under GitOps (it is replaced on change:
    `argocd.argoproj.io/sync-options: Force=true,Replace=true` or
    `kustomize.toolkit.fluxcd.io/force: enabled`): a TTL would make Argo CD self-heal or Flux create
    it again and run it again (rule job-rerun-after-ttl, docs/jobs.md).

    Fails:
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: j}
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i:1}]
    ```

    Passes:
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: j}
    spec:
      activeDeadlineSeconds: 3600
      ttlSecondsAfterFinished: 86400
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i:1}]
    ```
    """

    ID = "job-deadline-and-ttl"
    DESCRIPTION = "Jobs have activeDeadlineSeconds and ttlSecondsAfterFinished"
    SEVERITY = "error"
    OPTIONS: dict[str, Any] = {}
    SCOPE = "resource"

    @staticmethod
    def check(res: Resource, ctx: Context) -> Iterator[Finding]:
        job, base = _job_spec(res)
        if job is None:
            return
        if not job.get("activeDeadlineSeconds"):
            yield Finding.about(res, JobDeadlineAndTtl.ID, ctx.severity, "the Job has no activeDeadlineSeconds: a hung "
                                "run holds its nodes forever", path=f"{base}.activeDeadlineSeconds",
                                hint="set activeDeadlineSeconds to the longest a run may take")
        notes = as_map(res.metadata.get("annotations"))
        hook = "argocd.argoproj.io/hook" in notes or "helm.sh/hook-delete-policy" in notes
        options = {o.strip() for o in str(notes.get("argocd.argoproj.io/sync-options") or "").split(",")}
        run_once = {"Force=true", "Replace=true"} <= options or notes.get("kustomize.toolkit.fluxcd.io/force") == "enabled"
        if job.get("ttlSecondsAfterFinished") is None and res.kind == "Job" and not hook and not run_once:
            yield Finding.about(res, JobDeadlineAndTtl.ID, ctx.severity, "the Job has no ttlSecondsAfterFinished: "
                                "finished Jobs and their pods are never cleaned up", path=f"{base}.ttlSecondsAfterFinished",
                                hint="set ttlSecondsAfterFinished (e.g. 86400: a day to read the logs)")


class CronJobConcurrency:
    """CronJobs state their concurrencyPolicy and startingDeadlineSeconds.

    The default policy (Allow) lets a slow run overlap the next one, doubling the load and racing
    on outputs; without a starting deadline, a controller outage makes missed runs start late all
    at once, and more than 100 missed schedules stop the CronJob for good.

    Fails:
    ```yaml
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: c}
    spec:
      schedule: "0 2 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: i:1}]
    ```

    Passes:
    ```yaml
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: c}
    spec:
      schedule: "0 2 * * *"
      concurrencyPolicy: Forbid
      startingDeadlineSeconds: 600
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: i:1}]
    ```
    """

    ID = "cronjob-concurrency"
    DESCRIPTION = "CronJobs state concurrencyPolicy and startingDeadlineSeconds"
    SEVERITY = "error"
    OPTIONS: dict[str, Any] = {}
    SCOPE = "resource"

    @staticmethod
    def check(res: Resource, ctx: Context) -> Iterator[Finding]:
        if res.kind != "CronJob":
            return
        spec = res.obj.get("spec") or {}
        if spec.get("concurrencyPolicy") not in ("Forbid", "Replace", "Allow"):
            yield Finding.about(res, CronJobConcurrency.ID, ctx.severity, "the CronJob does not state a "
                                "concurrencyPolicy: by default a slow run overlaps the next", path="spec.concurrencyPolicy",
                                hint="set concurrencyPolicy: Forbid (or Replace)")
        if not spec.get("startingDeadlineSeconds"):
            yield Finding.about(res, CronJobConcurrency.ID, ctx.severity, "the CronJob has no startingDeadlineSeconds: "
                                "missed runs start late, and 100 missed runs stop it", path="spec.startingDeadlineSeconds",
                                hint="set startingDeadlineSeconds (e.g. 600)")


RULES = [GpuWholeDevices, GpuNodePlacement, TrainingShmSize, TrainingIndexedCompletion, StartupProbeNotDelay,
         JobDeadlineAndTtl, CronJobConcurrency]
