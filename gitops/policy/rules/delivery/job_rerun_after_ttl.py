"""job-rerun-after-ttl: a run-once Job with a TTL that a GitOps controller creates again.

The TTL controller deletes a finished Job `ttlSecondsAfterFinished` seconds after it ends. An
Argo CD Application with automated self-heal then sees the Job missing and creates it again;
Flux does the same at its next reconcile. The Job runs again, every TTL, for ever (a two-node
training run every three days). Remove the TTL (the Job stays, Complete, until a change
replaces it) or make the Job an Argo CD hook.

Options: none.

Fails (the folder of an Application with automated self-heal):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  syncPolicy: {automated: {prune: true, selfHeal: true}}
---
# file: deploy/ml/job-backfill.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: backfill
  namespace: ml
spec:
  ttlSecondsAfterFinished: 86400
  template: {spec: {restartPolicy: Never, containers: [{name: b, image: ghcr.io/acme/backfill:1.0}]}}
```

Passes (the same Job without `ttlSecondsAfterFinished`):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  syncPolicy: {automated: {prune: true, selfHeal: true}}
---
# file: deploy/ml/job-backfill.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: backfill
  namespace: ml
spec:
  template: {spec: {restartPolicy: Never, containers: [{name: b, image: ghcr.io/acme/backfill:1.0}]}}
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ...api import Context, as_map
from .controllers import deliveries_of
from .run_once import is_hook

ID = "job-rerun-after-ttl"
TITLE = "A Job with a TTL under Argo CD self-heal or Flux is created again and re-runs"
SEVERITY = "error"
REMEDIATION = "remove ttlSecondsAfterFinished (the Job stays Complete until a change replaces it), or make it an Argo CD hook"
OPTIONS: dict = {}
SCOPE = "set"


def check(ctx: Context) -> Iterator[Found]:
    for res, delivery in deliveries_of(ctx.resources, "Job"):
        ttl = as_map(res.obj.get("spec")).get("ttlSecondsAfterFinished")
        if ttl is None or is_hook(res) or not delivery.heals:
            continue
        yield Found(res, f"{res.ref()}: ttlSecondsAfterFinished {ttl} deletes the finished Job and "
                    f"{delivery.describe()} creates it again: it runs again every {ttl}s",
                    path="spec.ttlSecondsAfterFinished",
                    hint="remove ttlSecondsAfterFinished (the Job stays Complete until a change replaces "
                         "it), or make it an Argo CD hook")
