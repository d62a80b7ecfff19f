"""job-sync-replace: a run-once Job that Argo CD or Flux would patch in place.

A Job's pod template is immutable: the first change to it (an image bump) fails to sync,
with "field is immutable", until someone deletes the Job by hand. Argo CD deletes and creates
it with `argocd.argoproj.io/sync-options: Force=true,Replace=true`; the Application must then
sync only what changed (`ApplyOutOfSyncOnly=true`), otherwise every sync of the app deletes and
re-runs the unchanged Job too. Flux replaces it with `kustomize.toolkit.fluxcd.io/force: enabled`.

Options: none.

Fails (synced by an Argo CD Application):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  syncPolicy: {automated: {selfHeal: true}}
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

Passes (replaced on change, and the Application syncs only what changed):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  syncPolicy: {automated: {selfHeal: true}, syncOptions: [ApplyOutOfSyncOnly=true]}
---
# file: deploy/ml/job-backfill.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: backfill
  namespace: ml
  annotations: {argocd.argoproj.io/sync-options: 'Force=true,Replace=true'}
spec:
  template: {spec: {restartPolicy: Never, containers: [{name: b, image: ghcr.io/acme/backfill:1.0}]}}
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ...api import Context
from .common import FLUX_FORCE, SYNC_OPTIONS, annotations_of
from .controllers import deliveries_of
from .run_once import _path, is_hook, sync_options

ID = "job-sync-replace"
TITLE = "A Job synced by Argo CD or Flux is patched in place: a change to it cannot sync"
SEVERITY = "warning"
REMEDIATION = "annotate `argocd.argoproj.io/sync-options: Force=true,Replace=true` (Flux: `kustomize.toolkit.fluxcd.io/force: enabled`) and sync only what changed"
OPTIONS: dict = {}
SCOPE = "set"


def check(ctx: Context) -> Iterator[Found]:
    for res, delivery in deliveries_of(ctx.resources, "Job"):
        if is_hook(res):
            continue
        if delivery.flux:
            if annotations_of(res).get(FLUX_FORCE) != "enabled":
                yield Found(res, f"{res.ref()}: {delivery.describe()} patches it in place, and a Job's "
                            "template is immutable: a change to it cannot be applied",
                            path=_path(FLUX_FORCE), hint=f"annotate `{FLUX_FORCE}: enabled`")
            continue
        options = sync_options(res)
        if not {"Replace=true", "Force=true"} <= options:
            yield Found(res, f"{res.ref()}: {delivery.describe()} patches it in place, and a Job's template "
                        "is immutable: a change to it cannot sync",
                        path=_path(SYNC_OPTIONS), hint=f"annotate `{SYNC_OPTIONS}: Force=true,Replace=true`")
        elif not delivery.out_of_sync_only:
            yield Found(res, f"{res.ref()}: Force=true,Replace=true deletes and creates it on every sync of "
                        f"{delivery.describe()}, which syncs every object: an unchanged Job runs again",
                        path=_path(SYNC_OPTIONS),
                        hint="add ApplyOutOfSyncOnly=true to the Application's syncPolicy.syncOptions")
