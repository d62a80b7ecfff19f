"""A queued workload written with `suspend: true` is synced by a controller that leaves Kueue's
resume alone.

Kueue resumes a suspended Job, JobSet or TrainJob by setting `spec.suspend: false` once it admits
it (kubernetes-sigs/kueue at ff69552, `site/content/en/docs/tasks/run/jobs.md`). Git still says
`true`, so the object is out of sync:
- Argo CD with self-heal puts `true` back (a run-once Job synced with Replace=true is even deleted
  and created again), unless the Application ignores `/spec/suspend` for that kind
  (`spec.ignoreDifferences`) and the sync respects it (`RespectIgnoreDifferences=true`;
  https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/ and sync-options/).
- Flux's kustomize-controller corrects drift on every reconcile (server-side apply of the
  manifest), with no per-field exception, unless the Kustomization's `patches` remove
  `/spec/suspend` from the queued objects before applying them (what gitops generates); Kueue's
  webhook suspends a queued Job when it is created anyway
  (https://fluxcd.io/flux/components/kustomize/kustomizations/#patches).
Kueue sees its admitted workload suspended by someone else, evicts it and queues it again: the
run restarts at each sync.

Fails:

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  syncPolicy: {automated: {selfHeal: true}}
---
# file: deploy/ml/job-train.yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  suspend: true
  template: {spec: {restartPolicy: Never, containers: [{name: t, image: ghcr.io/acme/train:1.0}]}}
```

Passes:

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  ignoreDifferences: [{group: batch, kind: Job, jsonPointers: [/spec/suspend]}]
  syncPolicy: {automated: {selfHeal: true}, syncOptions: [RespectIgnoreDifferences=true]}
---
# file: deploy/ml/job-train.yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  suspend: true
  template: {spec: {restartPolicy: Never, containers: [{name: t, image: ghcr.io/acme/train:1.0}]}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map, items
from ..delivery.controllers import deliveries_of
from .common import QUEUE_LABEL, labels_of

ID = "kueue-suspend-sync"
TITLE = "a suspended queued workload is not re-suspended by Argo CD or Flux"
SEVERITY = "error"
REMEDIATION = ("Argo CD: ignoreDifferences on /spec/suspend with RespectIgnoreDifferences=true; "
               "Flux: leave suspend out (Kueue's webhook suspends queued Jobs)")
SCOPE = "set"
KINDS_SUSPENDED = ("Job", "JobSet", "TrainJob")


def ignores_suspend(app, group: str, kind: str) -> bool:
    spec = as_map(app.obj.get("spec"))
    options = {o.strip() for o in as_map(spec.get("syncPolicy")).get("syncOptions") or [] if isinstance(o, str)}
    if "RespectIgnoreDifferences=true" not in options:
        return False
    for _, entry in items(spec.get("ignoreDifferences")):
        if entry.get("kind") != kind or (entry.get("group") or "") != group:
            continue
        pointers = entry.get("jsonPointers") or []
        paths = entry.get("jqPathExpressions") or []
        if "/spec/suspend" in pointers or ".spec.suspend" in paths:
            return True
    return False


def flux_removes_suspend(kustomization, kind: str) -> bool:
    for _, patch in items(as_map(kustomization.obj.get("spec")).get("patches")):
        target = as_map(patch.get("target"))
        text = patch.get("patch")
        if target.get("kind") in (None, kind) and isinstance(text, str) and "remove" in text and "/spec/suspend" in text:
            return True
    return False


def check(ctx):
    for res, delivery in deliveries_of(ctx.resources, *KINDS_SUSPENDED):
        if as_map(res.obj.get("spec")).get("suspend") is not True or not labels_of(res).get(QUEUE_LABEL):
            continue
        if delivery.flux:
            if delivery.heals and not flux_removes_suspend(delivery.source, res.kind):
                yield Found(res, f"{delivery.describe()} re-applies suspend: true after Kueue resumes it, which "
                            "stops the admitted run at every reconcile", path="spec.suspend",
                            hint="patch it out in the Kustomization (spec.patches: remove /spec/suspend), or leave "
                                 "it out of git: Kueue's webhook suspends queued Jobs on creation")
        elif delivery.heals and not ignores_suspend(delivery.source, res.group, res.kind):
            yield Found(res, f"{delivery.describe()} self-heals spec.suspend back to true after Kueue resumes it, "
                        "which stops the admitted run", path="spec.suspend",
                        hint=f"add ignoreDifferences {{group: {res.group or ''!r}, kind: {res.kind}, jsonPointers: "
                             "[/spec/suspend]}} and syncOptions RespectIgnoreDifferences=true to the Application")
