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
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context, pod_spec
from .common import _is_training, _job_spec

ID = "training-indexed-completion"
TITLE = "training Jobs are Indexed, with completions == parallelism and a headless Service"
SEVERITY = "error"
REMEDIATION = "set completionMode: Indexed"
OPTIONS: dict[str, Any] = {}
SCOPE = "resource"


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    if not _is_training(res, ctx):
        return
    job, _ = _job_spec(res)
    if job is None:
        return
    if job.get("completionMode") != "Indexed":
        yield Found(res, "a training Job without completionMode Indexed gives its workers no rank",
                    path="spec.completionMode", hint="set completionMode: Indexed")
    completions, parallelism = job.get("completions"), job.get("parallelism", 1)
    if completions != parallelism:
        yield Found(res, f"completions ({completions}) differs from parallelism ({parallelism}): "
                    "the workers of one collective would not all run at once", path="spec.parallelism",
                    hint="set completions and parallelism to the number of nodes")
    spec, base = pod_spec(res)
    if spec is None:
        return
    subdomain = spec.get("subdomain")
    service = ctx.find("Service", subdomain, res.namespace or None) if subdomain else None
    if service is None or (service.obj.get("spec") or {}).get("clusterIP") != "None":
        yield Found(res, "workers cannot find node 0: no headless Service matches the pod "
                    f"template's subdomain ({subdomain!r})", path=f"{base}.subdomain",
                    hint="add a Service with clusterIP: None named as spec.template.spec.subdomain")
