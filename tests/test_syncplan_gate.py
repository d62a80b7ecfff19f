"""The sync simulation as a stage of `gitops check`: a spec whose waves would deadlock fails the gate,
the generated wave table does not."""
from __future__ import annotations

from tests.conftest import make_project, run_cli

CONFIG = """\
kubernetesVersion: "1.33"
environments:
  dev: {cluster: gke}
delivery:
  target: argocd
  repoURL: https://github.com/acme/shop.git
"""

TRAINER = """\
from gitops import Job, Resources, Volume

train = Job(
    name="train",
    image="ghcr.io/acme/train:1.0",
    resources=Resources(cpu="1", memory="1Gi"),
    volumes=[Volume.pvc("checkpoints", "/checkpoints", size="10Gi")],{annotations}
)
"""


def test_generated_waves_pass_the_sync_stage(tmp_path):
    root = make_project(tmp_path / "ok", {"train.py": TRAINER.format(annotations="")}, config=CONFIG)
    assert run_cli(["synth"], root).exit_code == 0
    result = run_cli(["check"], root)
    assert "sync-wave-deadlock" not in result.output and "sync-never-healthy" not in result.output
    assert "sync-stays-degraded" not in result.output


def test_a_wave_that_waits_for_a_later_claim_fails_the_gate(tmp_path):
    # The Job is pulled before its claim (standard-rwo binds on first consumer): Argo CD waits for the
    # Job, whose pods wait for the claim of a later wave.
    early = '\n    annotations={"argocd.argoproj.io/sync-wave": "3"},'
    root = make_project(tmp_path / "bad", {"train.py": TRAINER.format(annotations=early)}, config=CONFIG)
    assert run_cli(["synth"], root).exit_code == 0
    result = run_cli(["check"], root)
    assert result.exit_code == 1
    assert "sync-wave-deadlock" in result.output
    assert "Job/train-dev/train" in result.output and "PersistentVolumeClaim/train-dev/checkpoints" in result.output
