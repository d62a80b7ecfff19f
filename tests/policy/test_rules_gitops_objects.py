"""job-rerun-after-ttl, job-sync-replace, claim-prune-protection: what Argo CD and Flux do to a
run-once Job and to claims, on folders of plain YAML with the Application or Kustomization that
syncs them (Argo CD automated sync, self-heal and prune; sync options Replace, Force, Prune=false,
Delete=false, ApplyOutOfSyncOnly; Flux prune and the force/prune annotations)."""
from __future__ import annotations

import textwrap
from pathlib import Path

from gitops.manifests.reader import read_paths
from gitops.policy.api import Context, index_by_kind
from gitops.policy.engine import run_rule
from gitops.policy.registry import all_rules

from ..conftest import run_cli


def application(policy: str = "{automated: {prune: true, selfHeal: true}}", finalizer: bool = True,
                options: str = "") -> str:
    finalizers = "\n  finalizers: [resources-finalizer.argocd.argoproj.io]" if finalizer else ""
    sync = policy if not options else policy.rstrip("}") + f", syncOptions: [{options}]}}"
    return f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ml
  namespace: argocd{finalizers}
spec:
  project: default
  destination: {{server: https://kubernetes.default.svc, namespace: ml}}
  source: {{repoURL: https://example.com/r.git, path: deploy/ml}}
  syncPolicy: {sync}
"""


FLUX = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ml, namespace: flux-system}
spec:
  interval: 10m
  path: ./deploy/ml
  prune: true
  sourceRef: {kind: GitRepository, name: repo}
"""


def job(annotations: str = "", ttl: bool = True) -> str:
    notes = f"\n  annotations: {{{annotations}}}" if annotations else ""
    ttl_line = "\n  ttlSecondsAfterFinished: 86400" if ttl else ""
    return f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: backfill
  namespace: ml{notes}
spec:{ttl_line}
  activeDeadlineSeconds: 3600
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: b, image: b:1}}]
"""


def claim(annotations: str = "") -> str:
    notes = f"\n  annotations: {{{annotations}}}" if annotations else ""
    return f"""\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: checkpoints
  namespace: ml{notes}
spec:
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: 10Gi}}}}
"""


def repo(tmp_path: Path, delivery: str, *objects: str) -> Path:
    root = tmp_path / "repo"
    (root / "deploy" / "ml").mkdir(parents=True)
    (root / "delivery").mkdir()
    (root / "delivery" / "sync.yaml").write_text(textwrap.dedent(delivery))
    for i, obj in enumerate(objects):
        (root / "deploy" / "ml" / f"{i}.yaml").write_text(textwrap.dedent(obj))
    return root


def found(root: Path, rule_id: str) -> list:
    resources = tuple(read_paths([str(root)]).resources)
    rule = all_rules()[rule_id]
    ctx = Context(resources=resources, severity=rule.severity, index=index_by_kind(resources))
    return run_rule(rule, ctx, resources)


FORCE = "argocd.argoproj.io/sync-options: 'Force=true,Replace=true', kustomize.toolkit.fluxcd.io/force: enabled"
KEEP = "argocd.argoproj.io/sync-options: 'Prune=false,Delete=false', kustomize.toolkit.fluxcd.io/prune: disabled"


# ---- job-rerun-after-ttl ----------------------------------------------------------------------

def test_ttl_under_self_heal_reruns_the_job(tmp_path):
    hits = found(repo(tmp_path, application(), job()), "job-rerun-after-ttl")
    assert len(hits) == 1 and "Job/ml/backfill" in hits[0].message and "Application/argocd/ml" in hits[0].message
    assert hits[0].path == "spec.ttlSecondsAfterFinished"


def test_ttl_under_flux_reruns_the_job(tmp_path):
    assert len(found(repo(tmp_path, FLUX, job()), "job-rerun-after-ttl")) == 1


def test_no_ttl_or_no_self_heal_or_a_hook_passes(tmp_path):
    assert found(repo(tmp_path / "a", application(), job(ttl=False)), "job-rerun-after-ttl") == []
    manual_heal = application("{automated: {prune: true}}")
    assert found(repo(tmp_path / "b", manual_heal, job()), "job-rerun-after-ttl") == []
    hook = "argocd.argoproj.io/hook: Sync, argocd.argoproj.io/hook-delete-policy: BeforeHookCreation"
    assert found(repo(tmp_path / "c", application(), job(hook)), "job-rerun-after-ttl") == []


def test_a_job_nothing_syncs_is_not_judged(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "job.yaml").write_text(job())
    assert found(folder, "job-rerun-after-ttl") == []


# ---- job-sync-replace -------------------------------------------------------------------------

def test_a_patched_job_cannot_take_a_change(tmp_path):
    hits = found(repo(tmp_path, application(), job(ttl=False)), "job-sync-replace")
    assert len(hits) == 1 and "immutable" in hits[0].message
    flux = found(repo(tmp_path / "f", FLUX, job(ttl=False)), "job-sync-replace")
    assert len(flux) == 1 and "kustomize.toolkit.fluxcd.io/force" in flux[0].hint


def test_replace_without_selective_sync_reruns_on_every_sync(tmp_path):
    hits = found(repo(tmp_path, application(), job(FORCE, ttl=False)), "job-sync-replace")
    assert len(hits) == 1 and "ApplyOutOfSyncOnly" in hits[0].hint


def test_replaced_job_with_selective_sync_passes(tmp_path):
    app = application(options="ApplyOutOfSyncOnly=true")
    assert found(repo(tmp_path, app, job(FORCE, ttl=False)), "job-sync-replace") == []
    assert found(repo(tmp_path / "f", FLUX, job(FORCE, ttl=False)), "job-sync-replace") == []


# ---- claim-prune-protection -------------------------------------------------------------------

def test_claim_under_prune_and_cascade_delete_is_flagged(tmp_path):
    hits = found(repo(tmp_path, application(), claim()), "claim-prune-protection")
    assert len(hits) == 1 and "Prune=false" in hits[0].message and "Delete=false" in hits[0].message


def test_only_what_the_application_does_is_asked_for(tmp_path):
    # no automated prune: only the cascade delete of the Application's finalizer remains
    hits = found(repo(tmp_path, application("{automated: {selfHeal: true}}"), claim()), "claim-prune-protection")
    assert len(hits) == 1 and "Delete=false" in hits[0].message and "Prune=false" not in hits[0].message
    manual = application("{}", finalizer=False)
    assert found(repo(tmp_path / "m", manual, claim()), "claim-prune-protection") == []


def test_flux_prune_needs_the_prune_disabled_annotation(tmp_path):
    assert len(found(repo(tmp_path, FLUX, claim()), "claim-prune-protection")) == 1
    assert found(repo(tmp_path / "ok", FLUX, claim(KEEP)), "claim-prune-protection") == []


def test_protected_claim_passes_but_its_namespace_must_be_kept_too(tmp_path):
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n"
    hits = found(repo(tmp_path, application(), claim(KEEP), namespace), "claim-prune-protection")
    assert [h.resource for h in hits] == ["Namespace/ml"]
    kept = namespace.replace("{name: ml}", "{name: ml, annotations: {" + KEEP + "}}")
    assert found(repo(tmp_path / "ok", application(), claim(KEEP), kept), "claim-prune-protection") == []


def test_statefulset_deleting_its_claims_is_flagged(tmp_path):
    sts = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ml}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db:1}]}}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce],
                          resources: {requests: {storage: 1Gi}}}}]
"""
    hits = found(repo(tmp_path, application(), sts), "claim-prune-protection")
    assert len(hits) == 1 and hits[0].path == "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"
    kept = sts.replace("whenDeleted: Delete", "whenDeleted: Retain")
    assert found(repo(tmp_path / "ok", application(), kept), "claim-prune-protection") == []


def test_policy_command_reports_them_on_plain_yaml(tmp_path):
    root = repo(tmp_path, application(), job(), claim())
    result = run_cli(["policy", str(root)], tmp_path)
    assert result.exit_code == 1
    assert "job-rerun-after-ttl" in result.output and "claim-prune-protection" in result.output
