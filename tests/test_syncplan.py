"""`gitops sync-plan`: the Argo CD sync replay and the Flux checks, on small plain-YAML folders.

The cases follow Argo CD's sync-waves page ("Argo CD won't apply the next wave until the previous
wave is healthy"; phases PreSync, Sync, PostSync; order by phase, wave, kind, name), gitops-engine's
health checks (a Job is healthy when Complete, a claim when Bound) and Flux's Kustomization API
(dependsOn, wait, healthChecks)."""
from __future__ import annotations

import json

import textwrap
from pathlib import Path

from gitops.manifests.reader import read_paths
from gitops.syncplan import simulate, text

from .conftest import run_cli

WFFC_CLASS = """\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: late}
provisioner: pd.csi.storage.gke.io
volumeBindingMode: WaitForFirstConsumer
"""


def claim(wave: int | None, cls: str = "late", name: str = "data") -> str:
    notes = f"\n  annotations: {{argocd.argoproj.io/sync-wave: '{wave}'}}" if wave is not None else ""
    return f"""\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
  namespace: ml{notes}
spec:
  storageClassName: {cls}
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: 1Gi}}}}
"""


def deployment(wave: int | None, volumes: str = "", extra: str = "") -> str:
    notes = f"\n  annotations: {{argocd.argoproj.io/sync-wave: '{wave}'}}" if wave is not None else ""
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ml{notes}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:{extra}
      containers: [{{name: web, image: web:1}}]{volumes}
"""


MOUNT = "\n      volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]"


def job(wave: int | None, hook: str | None = None, extra: str = "", env: str = "") -> str:
    notes = {}
    if wave is not None:
        notes["argocd.argoproj.io/sync-wave"] = f"'{wave}'"
    if hook:
        notes["argocd.argoproj.io/hook"] = hook
        notes["argocd.argoproj.io/hook-delete-policy"] = "BeforeHookCreation"
    annotations = ("\n  annotations: {" + ", ".join(f"{k}: {v}" for k, v in notes.items()) + "}") if notes else ""
    return f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: ml{annotations}
spec:{extra}
  completionMode: Indexed
  completions: 2
  parallelism: 2
  template:
    spec:
      subdomain: train
      restartPolicy: Never
      containers: [{{name: t, image: train:1{env}}}]
"""


def headless(wave: int | None, name: str = "train") -> str:
    notes = f"\n  annotations: {{argocd.argoproj.io/sync-wave: '{wave}'}}" if wave is not None else ""
    return f"""\
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: ml{notes}
spec:
  clusterIP: None
  selector: {{job-name: train}}
  ports: [{{port: 29500}}]
"""


def folder(tmp_path: Path, *docs: str) -> Path:
    app = tmp_path / "app"
    app.mkdir(exist_ok=True)
    for i, doc in enumerate(docs):
        (app / f"{i:02d}.yaml").write_text(textwrap.dedent(doc))
    return app


def problems(path: Path) -> list:
    return simulate(read_paths([str(path)]).resources).problems()


def rules(path: Path) -> list[tuple[str, str]]:
    return sorted((p.rule, p.severity) for p in problems(path))


# ---- Argo CD: waves wait for health ----------------------------------------------------------

def test_wait_for_first_consumer_claim_before_its_consumer_deadlocks(tmp_path):
    path = folder(tmp_path, WFFC_CLASS, claim(0), deployment(1, MOUNT))
    found = problems(path)
    assert [(p.rule, p.severity) for p in found] == [("sync-wave-deadlock", "error")]
    assert "PersistentVolumeClaim/ml/data" in found[0].message and "Deployment/ml/web" in found[0].message
    result = run_cli(["sync-plan", str(path)], tmp_path)
    assert result.exit_code == 1
    assert "sync-wave-deadlock" in result.output and "the sync never finishes" in result.output


def test_claim_in_the_same_wave_as_its_consumer_binds(tmp_path):
    path = folder(tmp_path, WFFC_CLASS, claim(1), deployment(1, MOUNT), headless(2, "web"))
    assert problems(path) == []
    assert run_cli(["sync-plan", str(path)], tmp_path).exit_code == 0


def test_immediate_class_claim_may_come_first(tmp_path):
    immediate = WFFC_CLASS.replace("WaitForFirstConsumer", "Immediate")
    assert problems(folder(tmp_path, immediate, claim(0), deployment(1, MOUNT))) == []


def test_without_waves_nothing_is_waited_for(tmp_path):
    # one step: Argo CD applies everything at once and the sync ends; the pod binds the claim
    assert problems(folder(tmp_path, WFFC_CLASS, claim(None), deployment(None, MOUNT))) == []


def test_unknown_class_is_unsure_an_info_not_an_error(tmp_path):
    path = folder(tmp_path, claim(0, cls="site-nfs"), deployment(1, MOUNT))
    assert rules(path) == [("sync-wave-deadlock", "info")]
    assert run_cli(["sync-plan", str(path)], tmp_path).exit_code == 0
    assert run_cli(["sync-plan", "--fail-on", "info", str(path)], tmp_path).exit_code == 1


def test_default_class_binds_on_first_consumer(tmp_path):
    no_class = claim(0).replace("  storageClassName: late\n", "")
    assert rules(folder(tmp_path, no_class, deployment(1, MOUNT))) == [("sync-wave-deadlock", "error")]


def test_running_job_blocks_the_service_its_pods_need(tmp_path):
    # the training Job's pods resolve each other through the headless Service of a later wave
    found = problems(folder(tmp_path, job(4), headless(5)))
    assert [p.rule for p in found] == ["sync-wave-deadlock"]
    assert "Job/ml/train" in found[0].message and "Service/ml/train" in found[0].message


def test_service_before_the_job_passes(tmp_path):
    assert problems(folder(tmp_path, headless(3), job(4))) == []


def test_service_named_in_an_environment_value_is_needed(tmp_path):
    env = ", env: [{name: MASTER_ADDR, value: train-0.rdzv.ml.svc}]"
    found = problems(folder(tmp_path, job(0, env=env).replace("subdomain: train", "subdomain: x"), headless(1, "rdzv")))
    assert [p.rule for p in found] == ["sync-wave-deadlock"] and "Service/ml/rdzv" in found[0].message


def test_suspended_job_never_becomes_healthy(tmp_path):
    found = problems(folder(tmp_path, job(0, extra="\n  suspend: true"), headless(-1), claim(1, cls="''")))
    assert [(p.rule, p.severity) for p in found] == [("sync-never-healthy", "error")]


def test_paused_deployment_in_the_last_wave_leaves_the_application_degraded(tmp_path):
    path = folder(tmp_path, deployment(0, extra="\n      terminationGracePeriodSeconds: 5")
                  .replace("  replicas: 1", "  paused: true\n  replicas: 1"))
    assert [(p.rule, p.severity) for p in problems(path)] == [("sync-stays-degraded", "warning")]
    # the same --output and --fail-on as every other command, at the catalog's severities
    assert run_cli(["sync-plan", str(path)], tmp_path).exit_code == 0
    assert run_cli(["sync-plan", "--fail-on", "warning", str(path)], tmp_path).exit_code == 1
    report = json.loads(run_cli(["sync-plan", "-o", "json", str(path)], tmp_path).output)  # no plan text in it
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("sync-stays-degraded", "warning")]
    run_cli(["sync-plan", "-o", f"sarif={tmp_path / 'plan.sarif'}", str(path)], tmp_path)
    assert json.loads((tmp_path / "plan.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == \
        "sync-stays-degraded"


def test_presync_hook_needing_a_sync_phase_secret_deadlocks(tmp_path):
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: ml}\n"
    reads = job(None, hook="PreSync").replace(
        "image: train:1}", "image: train:1, envFrom: [{secretRef: {name: db}}]}").replace("subdomain: train", "subdomain: x")
    found = problems(folder(tmp_path, secret, reads))
    assert [p.rule for p in found] == ["sync-wave-deadlock"]
    assert "PreSync wave 0" in found[0].message and "Secret/ml/db (Sync wave 0)" in found[0].message


def test_secret_made_by_an_external_secret_counts(tmp_path):
    external = """\
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db-source, namespace: ml, annotations: {argocd.argoproj.io/sync-wave: '2'}}
spec: {target: {name: db}}
"""
    reads = deployment(1, extra="").replace("image: web:1}", "image: web:1, envFrom: [{secretRef: {name: db}}]}")
    found = problems(folder(tmp_path, external, reads))
    assert [p.rule for p in found] == ["sync-wave-deadlock"] and "ExternalSecret/ml/db-source" in found[0].message


def test_autoscaler_before_its_target_deadlocks(tmp_path):
    hpa = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: ml, annotations: {argocd.argoproj.io/sync-wave: '0'}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
"""
    assert rules(folder(tmp_path, hpa, deployment(1))) == [("sync-wave-deadlock", "error")]


def test_budget_that_allows_no_disruption_is_degraded(tmp_path):
    pdb = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: ml, annotations: {argocd.argoproj.io/sync-wave: '2'}}
spec: {maxUnavailable: 0, selector: {matchLabels: {app: web}}}
"""
    later = headless(3, "web")
    assert rules(folder(tmp_path, deployment(1), pdb, later)) == [("sync-never-healthy", "error")]
    allowed = pdb.replace("maxUnavailable: 0", "maxUnavailable: 1")
    assert rules(folder(tmp_path, deployment(1), allowed, later)) == []


def test_namespace_in_a_later_wave_moves_up_to_its_first_user(tmp_path):
    ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ml, annotations: {argocd.argoproj.io/sync-wave: '5'}}\n"
    path = folder(tmp_path, ns, deployment(0), headless(1, "web"))
    sim = simulate(read_paths([str(path)]).resources)
    first = sim.plans[0].steps[0]
    assert [t.res.kind for t in first.tasks] == ["Namespace", "Deployment"] and sim.problems() == []


def test_kind_order_inside_a_wave_and_custom_resources_last(tmp_path):
    custom = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a, namespace: ml}\n"
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: z, namespace: ml}\n"
    account = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: y, namespace: ml}\n"
    path = folder(tmp_path, custom, deployment(None), headless(None, "web"), config, account)
    step = simulate(read_paths([str(path)]).resources).plans[0].steps[0]
    assert [t.res.kind for t in step.tasks] == ["ServiceAccount", "ConfigMap", "Service", "Deployment", "Widget"]


def test_helm_hooks_map_to_phases(tmp_path):
    pre = job(None).replace("  name: train\n", "  name: migrate\n  annotations: {helm.sh/hook: pre-install, "
                            "helm.sh/hook-weight: '-5'}\n")
    test_hook = "apiVersion: v1\nkind: Pod\nmetadata: {name: t, namespace: ml, annotations: {helm.sh/hook: test}}\n"
    path = folder(tmp_path, pre, deployment(None), test_hook)
    steps = simulate(read_paths([str(path)]).resources).plans[0].steps
    assert [(s.phase, s.wave) for s in steps] == [("PreSync", -5), ("Sync", 0)]
    assert all(t.res.name != "t" for s in steps for t in s.tasks)  # Argo CD does not run Helm test hooks


def test_timeline_is_printed(tmp_path):
    path = folder(tmp_path, headless(3), job(4))
    output = run_cli(["sync-plan", str(path)], tmp_path).output
    assert "1. Sync wave 3: applies 1 object(s), then waits until every object is healthy" in output
    assert "Job/ml/train" in output and "healthy when Complete" in output
    plan = text(simulate(read_paths([str(path)]).resources))
    assert output.startswith(plan + "\n") and "Findings: 0 errors, 0 warnings, 0 infos" in output


def test_application_folders_are_replayed_with_their_policy(tmp_path):
    app_dir = folder(tmp_path, WFFC_CLASS, claim(0), deployment(1, MOUNT))
    apps = tmp_path / "argocd"
    apps.mkdir()
    (apps / "app.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web, namespace: argocd}
        spec:
          destination: {namespace: ml, server: https://kubernetes.default.svc}
          source: {repoURL: https://example.com/r.git, path: app}
          syncPolicy: {automated: {prune: true}}
        """))
    sim = simulate(read_paths([str(app_dir), str(apps)]).resources)
    assert [(p.name, p.policy) for p in sim.plans] == [("web", "automated sync with prune")]
    assert [p.rule for p in sim.problems()] == ["sync-wave-deadlock"]


# ---- Flux --------------------------------------------------------------------------------------

def kustomization(name: str, depends: list[str] = (), path: str = "./app", extra: str = "") -> str:
    deps = "\n  dependsOn: [" + ", ".join(f"{{name: {d}}}" for d in depends) + "]" if depends else ""
    return f"""\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {{name: {name}, namespace: flux-system}}
spec:
  interval: 10m
  path: {path}
  prune: true
  sourceRef: {{kind: GitRepository, name: repo}}{deps}{extra}
"""


def flux_folder(tmp_path: Path, *docs: str) -> Path:
    flux = tmp_path / "flux"
    flux.mkdir()
    for i, doc in enumerate(docs):
        (flux / f"{i}.yaml").write_text(textwrap.dedent(doc))
    return flux


def test_flux_dependency_cycle(tmp_path):
    flux = flux_folder(tmp_path, kustomization("a", ["b"]), kustomization("b", ["c"]), kustomization("c", ["a"]),
                       kustomization("d", ["a"]))
    found = [p for p in problems(flux) if p.rule == "flux-dependency-cycle"]
    assert len(found) == 1 and "a -> b -> c -> a" in found[0].message


def test_flux_without_cycle_passes(tmp_path):
    flux = flux_folder(tmp_path, kustomization("a"), kustomization("b", ["a"]), kustomization("c", ["a", "b"]))
    assert problems(flux) == []


def test_flux_health_check_on_a_missing_object(tmp_path):
    folder(tmp_path, deployment(None))
    check = "\n  healthChecks: [{apiVersion: apps/v1, kind: Deployment, name: wbe, namespace: ml}]"
    flux = flux_folder(tmp_path, kustomization("web", extra=check), kustomization("after", ["web"]))
    found = problems(tmp_path)
    assert sorted(p.rule for p in found) == ["flux-health-never-passes", "flux-health-never-passes"]
    assert any("Deployment/ml/wbe" in p.message for p in found) and any("after" in p.message for p in found)
    fixed = tmp_path / "fixed"
    (flux).rename(fixed)
    (fixed / "0.yaml").write_text(textwrap.dedent(kustomization("web", extra=check.replace("wbe", "web"))))
    assert problems(tmp_path) == []


def test_flux_wait_on_an_unmounted_wait_for_first_consumer_claim(tmp_path):
    folder(tmp_path, WFFC_CLASS, claim(None))
    flux_folder(tmp_path, kustomization("data", extra="\n  wait: true"))
    found = [p for p in problems(tmp_path) if p.rule == "flux-health-never-passes"]
    assert len(found) == 1 and "PersistentVolumeClaim/ml/data" in found[0].message


def test_a_claim_mounted_by_a_workload_of_another_folder_is_not_unmounted(tmp_path):
    # kubernetes/examples volumes/nfs: the claims sit in provisioner/, the server that mounts them above
    (tmp_path / "nfs" / "provisioner").mkdir(parents=True)
    (tmp_path / "nfs" / "provisioner" / "claim.yaml").write_text(claim(None))
    (tmp_path / "nfs" / "server.yaml").write_text(deployment(None, MOUNT))
    assert problems(tmp_path / "nfs") == []
    assert [p.rule for p in problems(tmp_path / "nfs" / "provisioner")] == ["sync-stays-degraded"]


def test_flux_self_dependency_and_a_dense_graph_stay_fast(tmp_path):
    names = [f"k{i:02d}" for i in range(60)]
    docs = [kustomization(n, [m for m in names if m != n]) for n in names] + [kustomization("self", ["self"])]
    flux = flux_folder(tmp_path, *docs)
    found = sorted(p.message for p in problems(flux) if p.rule == "flux-dependency-cycle")
    assert len(found) == 2  # one group of 60 that all wait on each other, and the self-dependency
    assert any("self -> self" in m for m in found) and any("k00 -> k01 -> k00" in m for m in found)


def test_cluster_profile_inventory_decides_binding_modes(tmp_path):
    from types import SimpleNamespace

    from gitops.syncplan.health import inventory_classes

    profile = SimpleNamespace(inventory=SimpleNamespace(storage_classes=(
        SimpleNamespace(name="site-nfs", binding_mode="Immediate", default=False),
        SimpleNamespace(name="fast", binding_mode="WaitForFirstConsumer", default=True))))
    classes = inventory_classes(profile)
    assert classes == {"site-nfs": "Immediate", "fast": "WaitForFirstConsumer", "": "WaitForFirstConsumer"}
    path = folder(tmp_path, claim(0, cls="site-nfs"), deployment(1, MOUNT))
    resources = read_paths([str(path)]).resources
    assert simulate(resources).problems()[0].severity == "info"  # unknown class: unsure
    assert simulate(resources, classes).problems() == []  # the cluster says it binds at once
    assert inventory_classes(SimpleNamespace()) == {}


def test_cluster_option_names_a_profile(tmp_path):
    path = folder(tmp_path, headless(3), job(4))
    assert run_cli(["sync-plan", "--cluster", "gke", str(path)], tmp_path).exit_code == 0
    bad = run_cli(["sync-plan", "--cluster", "nope", str(path)], tmp_path)
    assert bad.exit_code == 2 and "--cluster: got 'nope'" in bad.output
