"""The sync replay knows the platform kinds: a KEDA ScaledObject is healthy only once its target and
trigger authentication exist (argo-cd resource_customizations/keda.sh/ScaledObject/health.lua), a
Job queued by Kueue and written suspended is resumed by Kueue, and the pods of a JobSet bind the
claims they mount."""
from __future__ import annotations

from pathlib import Path

from .test_syncplan import WFFC_CLASS, claim, deployment, folder, headless, job, problems


def mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def scaled_object(wave: int | None, auth: str = "", target: str = "web") -> str:
    notes = f"\n  annotations: {{argocd.argoproj.io/sync-wave: '{wave}'}}" if wave is not None else ""
    ref = f", authenticationRef: {{name: {auth}}}" if auth else ""
    return f"""\
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: web
  namespace: ml{notes}
spec:
  scaleTargetRef: {{name: {target}}}
  triggers: [{{type: rabbitmq, metadata: {{queueName: q, mode: QueueLength, value: '5'}}{ref}}}]
"""


def trigger_auth(wave: int) -> str:
    return f"""\
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: web-rabbitmq
  namespace: ml
  annotations: {{argocd.argoproj.io/sync-wave: '{wave}'}}
spec:
  secretTargetRef: [{{parameter: host, name: rabbit, key: url}}]
"""


def test_a_scaled_object_waited_for_before_its_target_deadlocks(tmp_path):
    found = problems(folder(tmp_path, scaled_object(0), deployment(1), claim(2, cls="''")))
    assert [(p.rule, p.severity) for p in found] == [("sync-wave-deadlock", "error")]
    assert "ScaledObject/ml/web" in found[0].message and "Deployment/ml/web" in found[0].message


def test_a_scaled_object_needs_its_trigger_authentication_first(tmp_path):
    late = problems(folder(tmp_path, deployment(0), scaled_object(1, auth="web-rabbitmq"), trigger_auth(2),
                           claim(3, cls="''")))
    assert [(p.rule, "TriggerAuthentication/ml/web-rabbitmq" in p.message) for p in late] == [
        ("sync-wave-deadlock", True)]
    assert problems(folder(mkdir(tmp_path / "ok"), trigger_auth(0), deployment(1), scaled_object(2, auth="web-rabbitmq"))) == []


def test_a_suspended_job_queued_by_kueue_is_not_stuck(tmp_path):
    queued = job(0, extra="\n  suspend: true").replace("  namespace: ml", "  namespace: ml\n  labels: "
                                                        "{kueue.x-k8s.io/queue-name: training}", 1)
    assert problems(folder(tmp_path, queued, headless(-1), claim(1, cls="''"))) == []


def test_a_jobset_mounting_a_claim_is_its_first_consumer(tmp_path):
    jobset = """\
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata: {name: train, namespace: ml}
spec:
  replicatedJobs:
  - name: leader
    replicas: 1
    template:
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: t, image: train:1}]
            volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
"""
    assert problems(folder(tmp_path, WFFC_CLASS, claim(None), jobset)) == []
    unmounted = problems(folder(mkdir(tmp_path / "none"), WFFC_CLASS, claim(None), jobset.replace("claimName: data",
                                                                                           "claimName: other")))
    assert [p.rule for p in unmounted] == ["sync-stays-degraded"]  # nothing waits for it: the app stays Degraded
