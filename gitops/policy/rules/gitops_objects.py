"""Run-once Jobs and claims under Argo CD or Flux: what the GitOps controller will do to them.

Each rule looks at the objects that an Argo CD Application or a Flux Kustomization of the set syncs
(its source path holds their files); objects nothing in the set syncs are not judged. Argo CD and
Helm hooks are not tracked for self-heal or prune and are made anew by each sync, so they pass.
docs/jobs.md and docs/data-safety.md say why, with their sources.
"""
from __future__ import annotations

from typing import Iterator

from ...findings import Finding
from ...manifests.resource import Resource
from ..api import Context, as_map
from ._argocd import FLUX_FORCE, HOOK, SYNC_OPTIONS, annotations_of, listed
from ._delivery import Delivery, deliveries_of

FLUX_PRUNE = "kustomize.toolkit.fluxcd.io/prune"
HELM_HOOK = "helm.sh/hook"


def is_hook(res: Resource) -> bool:
    notes = annotations_of(res)
    return bool(listed(notes.get(HOOK))) and listed(notes.get(HOOK)) != ["Skip"] or bool(notes.get(HELM_HOOK))


def sync_options(res: Resource) -> set[str]:
    return set(listed(annotations_of(res).get(SYNC_OPTIONS)))


def _path(key: str) -> str:
    return f'metadata.annotations["{key}"]'


class JobRerunAfterTtl:
    """job-rerun-after-ttl: a run-once Job with a TTL that a GitOps controller creates again.

    The TTL controller deletes a finished Job `ttlSecondsAfterFinished` seconds after it ends. An
    Argo CD Application with automated self-heal then sees the Job missing and creates it again;
    Flux does the same at its next reconcile. The Job runs again, every TTL, for ever (a two-node
    training run every three days). Remove the TTL (the Job stays, Complete, until a change
    replaces it) or make the Job an Argo CD hook.

    Options: none.

    Fails (in the folder of an Application with `syncPolicy: {automated: {selfHeal: true}}`):

        kind: Job
        metadata: {name: backfill}
        spec: {ttlSecondsAfterFinished: 86400}

    Passes: the same Job without `ttlSecondsAfterFinished`.
    """

    ID = "job-rerun-after-ttl"
    DESCRIPTION = "A Job with a TTL under Argo CD self-heal or Flux is created again and re-runs"
    SEVERITY = "error"
    OPTIONS: dict = {}
    SCOPE = "set"

    @staticmethod
    def check(ctx: Context) -> Iterator[Finding]:
        for res, delivery in deliveries_of(ctx.resources, "Job"):
            ttl = as_map(res.obj.get("spec")).get("ttlSecondsAfterFinished")
            if ttl is None or is_hook(res) or not delivery.heals:
                continue
            yield Finding.about(res, JobRerunAfterTtl.ID, ctx.severity,
                                f"{res.ref()}: ttlSecondsAfterFinished {ttl} deletes the finished Job and "
                                f"{delivery.describe()} creates it again: it runs again every {ttl}s",
                                path="spec.ttlSecondsAfterFinished",
                                hint="remove ttlSecondsAfterFinished (the Job stays Complete until a change replaces "
                                     "it), or make it an Argo CD hook")


class JobSyncReplace:
    """job-sync-replace: a run-once Job that Argo CD or Flux would patch in place.

    A Job's pod template is immutable: the first change to it (an image bump) fails to sync,
    with "field is immutable", until someone deletes the Job by hand. Argo CD deletes and creates
    it with `argocd.argoproj.io/sync-options: Force=true,Replace=true`; the Application must then
    sync only what changed (`ApplyOutOfSyncOnly=true`), otherwise every sync of the app deletes and
    re-runs the unchanged Job too. Flux replaces it with `kustomize.toolkit.fluxcd.io/force: enabled`.

    Options: none.

    Fails (synced by an Argo CD Application):

        kind: Job
        metadata: {name: backfill}

    Passes:

        kind: Job
        metadata:
          name: backfill
          annotations:
            argocd.argoproj.io/sync-options: Force=true,Replace=true
            kustomize.toolkit.fluxcd.io/force: enabled
    """

    ID = "job-sync-replace"
    DESCRIPTION = "A Job synced by Argo CD or Flux is patched in place: a change to it cannot sync"
    SEVERITY = "warning"
    OPTIONS: dict = {}
    SCOPE = "set"

    @staticmethod
    def check(ctx: Context) -> Iterator[Finding]:
        for res, delivery in deliveries_of(ctx.resources, "Job"):
            if is_hook(res):
                continue
            if delivery.flux:
                if annotations_of(res).get(FLUX_FORCE) != "enabled":
                    yield Finding.about(res, JobSyncReplace.ID, ctx.severity,
                                        f"{res.ref()}: {delivery.describe()} patches it in place, and a Job's "
                                        "template is immutable: a change to it cannot be applied",
                                        path=_path(FLUX_FORCE), hint=f"annotate `{FLUX_FORCE}: enabled`")
                continue
            options = sync_options(res)
            if not {"Replace=true", "Force=true"} <= options:
                yield Finding.about(res, JobSyncReplace.ID, ctx.severity,
                                    f"{res.ref()}: {delivery.describe()} patches it in place, and a Job's template "
                                    "is immutable: a change to it cannot sync",
                                    path=_path(SYNC_OPTIONS), hint=f"annotate `{SYNC_OPTIONS}: Force=true,Replace=true`")
            elif not delivery.out_of_sync_only:
                yield Finding.about(res, JobSyncReplace.ID, ctx.severity,
                                    f"{res.ref()}: Force=true,Replace=true deletes and creates it on every sync of "
                                    f"{delivery.describe()}, which syncs every object: an unchanged Job runs again",
                                    path=_path(SYNC_OPTIONS),
                                    hint="add ApplyOutOfSyncOnly=true to the Application's syncPolicy.syncOptions")


class ClaimPruneProtection:
    """claim-prune-protection: data a GitOps controller deletes when a manifest goes away.

    A claim synced by an Argo CD Application with automated prune (or whose Application cascades
    its deletion, the `resources-finalizer.argocd.argoproj.io` finalizer), or by a Flux
    Kustomization with `prune: true`, is deleted with its volume (and the checkpoints on it) when
    the app is renamed or removed. Protect it: Argo CD `argocd.argoproj.io/sync-options:
    Prune=false,Delete=false`, Flux `kustomize.toolkit.fluxcd.io/prune: disabled`. The same holds
    for the Namespace that holds claims (deleting a namespace deletes its claims) and for a
    StatefulSet whose `persistentVolumeClaimRetentionPolicy.whenDeleted` is Delete.

    Options: none.

    Fails (synced by an Application with `syncPolicy: {automated: {prune: true}}`):

        kind: PersistentVolumeClaim
        metadata: {name: checkpoints}

    Passes:

        kind: PersistentVolumeClaim
        metadata:
          name: checkpoints
          annotations:
            argocd.argoproj.io/sync-options: Prune=false,Delete=false
            kustomize.toolkit.fluxcd.io/prune: disabled
    """

    ID = "claim-prune-protection"
    DESCRIPTION = "A claim (or the namespace holding claims) is not protected from prune and cascade delete"
    SEVERITY = "error"
    OPTIONS: dict = {}
    SCOPE = "set"

    @staticmethod
    def check(ctx: Context) -> Iterator[Finding]:
        for res, delivery in deliveries_of(ctx.resources, "PersistentVolumeClaim", "StatefulSet", "Namespace"):
            if is_hook(res) or not delivery.deletes:
                continue
            if res.kind == "StatefulSet":
                policy = as_map(as_map(res.obj.get("spec")).get("persistentVolumeClaimRetentionPolicy"))
                if as_map(res.obj.get("spec")).get("volumeClaimTemplates") and policy.get("whenDeleted") == "Delete":
                    yield Finding.about(res, ClaimPruneProtection.ID, ctx.severity,
                                        f"{res.ref()}: whenDeleted: Delete removes every member's claim when "
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
            yield Finding.about(res, ClaimPruneProtection.ID, ctx.severity,
                                f"{res.ref()}: {delivery.describe()} deletes {what} when the manifest goes away "
                                f"(rename or removal of the app); protect it with {' and '.join(missing)}",
                                path=_path(FLUX_PRUNE if delivery.flux else SYNC_OPTIONS),
                                hint="annotate " + " and ".join(f"`{m}`" for m in missing))


def _unprotected(res: Resource, delivery: Delivery) -> list[str]:
    if delivery.flux:
        return [] if annotations_of(res).get(FLUX_PRUNE) == "disabled" else [f"{FLUX_PRUNE}: disabled"]
    options = sync_options(res)
    wanted = (["Prune=false"] if delivery.prunes else []) + (["Delete=false"] if delivery.cascades else [])
    return [f"{SYNC_OPTIONS}: {w}" for w in wanted if w not in options]


RULES = (JobRerunAfterTtl, JobSyncReplace, ClaimPruneProtection)
