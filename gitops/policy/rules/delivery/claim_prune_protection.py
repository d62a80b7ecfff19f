"""claim-prune-protection: data a GitOps controller deletes when a manifest goes away.

A claim synced by an Argo CD Application with automated prune (or whose Application cascades
its deletion, the `resources-finalizer.argocd.argoproj.io` finalizer), or by a Flux
Kustomization with `prune: true`, is deleted with its volume (and the checkpoints on it) when
the app is renamed or removed. Protect it: Argo CD `argocd.argoproj.io/sync-options:
Prune=false,Delete=false`, Flux `kustomize.toolkit.fluxcd.io/prune: disabled`. The same holds
for the Namespace that holds claims (deleting a namespace deletes its claims) and for a
StatefulSet whose `persistentVolumeClaimRetentionPolicy.whenDeleted` is Delete.

Options: none.

Fails (synced by an Application with automated prune):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  syncPolicy: {automated: {prune: true}}
---
# file: deploy/ml/persistentvolumeclaim-checkpoints.yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: checkpoints
  namespace: ml
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Gi}}}
```

Passes:

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ml, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: ml}
  source: {repoURL: https://github.com/acme/gitops.git, path: deploy/ml}
  syncPolicy: {automated: {prune: true}}
---
# file: deploy/ml/persistentvolumeclaim-checkpoints.yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: checkpoints
  namespace: ml
  annotations: {argocd.argoproj.io/sync-options: 'Prune=false,Delete=false'}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Gi}}}
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ...api import Context, as_map
from .common import SYNC_OPTIONS
from .controllers import deliveries_of
from .run_once import FLUX_PRUNE, _path, _unprotected, is_hook

ID = "claim-prune-protection"
TITLE = "A claim (or the namespace holding claims) is not protected from prune and cascade delete"
SEVERITY = "error"
REMEDIATION = "annotate `argocd.argoproj.io/sync-options: Prune=false,Delete=false` (Flux: `kustomize.toolkit.fluxcd.io/prune: disabled`)"
OPTIONS: dict = {}
SCOPE = "set"


def check(ctx: Context) -> Iterator[Found]:
    for res, delivery in deliveries_of(ctx.resources, "PersistentVolumeClaim", "StatefulSet", "Namespace"):
        if is_hook(res) or not delivery.deletes:
            continue
        if res.kind == "StatefulSet":
            policy = as_map(as_map(res.obj.get("spec")).get("persistentVolumeClaimRetentionPolicy"))
            if as_map(res.obj.get("spec")).get("volumeClaimTemplates") and policy.get("whenDeleted") == "Delete":
                yield Found(res, f"{res.ref()}: whenDeleted: Delete removes every member's claim when "
                            f"{delivery.describe()} prunes or deletes the StatefulSet",
                            path="spec.persistentVolumeClaimRetentionPolicy.whenDeleted",
                            hint="set whenDeleted: Retain")
            continue
        missing = _unprotected(res, delivery)
        if res.kind == "Namespace":
            held = [c for c in ctx.of_kind("PersistentVolumeClaim") if c.namespace == res.name]
            held += [s for s in ctx.of_kind("StatefulSet") if s.namespace == res.name
                     and as_map(s.obj.get("spec")).get("volumeClaimTemplates")]
            if not held or not missing:
                continue
            what = f"the claims of {', '.join(sorted(h.ref() for h in held))}"
        else:
            if not missing:
                continue
            what = "the claim and its volume"
        yield Found(res, f"{res.ref()}: {delivery.describe()} deletes {what} when the manifest goes away "
                    f"(rename or removal of the app); protect it with {' and '.join(missing)}",
                    path=_path(FLUX_PRUNE if delivery.flux else SYNC_OPTIONS),
                    hint="annotate " + " and ".join(f"`{m}`" for m in missing))
