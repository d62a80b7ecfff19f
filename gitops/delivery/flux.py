"""Flux objects of one environment: the GitRepository, one Kustomization per app and the
environment's entry Kustomization that applies `generated/<env>/_flux/` itself."""
from __future__ import annotations

import re

from .common import QUEUE_LABEL, EnvPlan, duration, labels

SOURCE_API = "source.toolkit.fluxcd.io/v1"
KUSTOMIZE_API = "kustomize.toolkit.fluxcd.io/v1"
FOLDER = "_flux"
SOURCE_INTERVAL = "1m"  # how often to look for new commits; cheap, so often
RETRY_INTERVAL = "1m"  # a failed apply is retried sooner than the regular interval
# Health checks wait for the slowest workload's rollout deadline plus this margin, then fail.
HEALTH_MARGIN_SECONDS = 60
DEFAULT_PROGRESS_DEADLINE = 600


def source_name(plan: EnvPlan) -> str:
    return f"gitops-{plan.env}"


def entry_name(plan: EnvPlan) -> str:
    return f"gitops-{plan.env}"


def app_name(plan: EnvPlan, app: str) -> str:
    return f"{app}-{plan.env}"


def _meta(plan: EnvPlan, name: str) -> dict:
    return {"name": name, "namespace": plan.delivery.flux.namespace, "labels": labels(plan.env, name)}


def flux_url(url: str) -> str:
    """Flux takes only http(s):// and ssh:// URLs: git@host:org/repo becomes ssh://git@host/org/repo."""
    scp = re.match(r"^([\w.-]+@[\w.-]+):(?!//)(.+)$", url)
    return f"ssh://{scp.group(1)}/{scp.group(2)}" if scp else url


def git_repository(plan: EnvPlan) -> dict:
    spec: dict = {"interval": SOURCE_INTERVAL, "url": flux_url(plan.delivery.repo_url), "ref": {"branch": plan.revision}}
    if plan.delivery.flux.secret_ref:
        spec["secretRef"] = {"name": plan.delivery.flux.secret_ref}
    return {"apiVersion": SOURCE_API, "kind": "GitRepository", "metadata": _meta(plan, source_name(plan)), "spec": spec}


def _timeout(app) -> str:
    deadlines = [int((w.get("spec") or {}).get("progressDeadlineSeconds") or DEFAULT_PROGRESS_DEADLINE)
                 for w in app.workloads()]
    return duration(max(deadlines, default=DEFAULT_PROGRESS_DEADLINE - HEALTH_MARGIN_SECONDS)
                    + HEALTH_MARGIN_SECONDS)


def kustomization(plan: EnvPlan, app) -> dict:
    spec: dict = {
        "interval": plan.delivery.flux.interval,
        "retryInterval": RETRY_INTERVAL,
        "path": f"./{app.path}",
        "prune": True,
        "sourceRef": {"kind": "GitRepository", "name": source_name(plan)},
        "timeout": _timeout(app),
    }
    if not app.cluster_scoped:  # the Kueue unit's objects have no namespace to set
        spec["targetNamespace"] = app.namespace
    if plan.queued_suspended and app.suspendable():
        # Kueue resumes a queued Job by setting spec.suspend to false, and Flux would set it back at
        # every reconcile: Flux applies queued Jobs without it (Kueue's webhook suspends them anyway).
        spec["patches"] = [{"patch": '[{"op": "remove", "path": "/spec/suspend"}]',
                            "target": {"group": group, "kind": kind, "labelSelector": QUEUE_LABEL}}
                           for group, kind in app.suspendable()]
    checks = [{"apiVersion": w["apiVersion"], "kind": w["kind"], "name": w["metadata"]["name"],
               "namespace": w["metadata"].get("namespace") or app.namespace} for w in app.workloads()]
    if checks:
        spec["healthChecks"] = sorted(checks, key=lambda c: (c["kind"], c["namespace"], c["name"]))
    deps = plan.graph.deps[app.name]
    if deps:
        spec["dependsOn"] = [{"name": app_name(plan, d)} for d in deps]
    return {"apiVersion": KUSTOMIZE_API, "kind": "Kustomization", "metadata": _meta(plan, app_name(plan, app.name)),
            "spec": spec}


def entry_kustomization(plan: EnvPlan) -> dict:
    return {
        "apiVersion": KUSTOMIZE_API, "kind": "Kustomization",
        "metadata": _meta(plan, entry_name(plan)),
        "spec": {
            "interval": plan.delivery.flux.interval,
            "path": f"./{plan.folder}/{FOLDER}",
            "prune": True,
            "sourceRef": {"kind": "GitRepository", "name": source_name(plan)},
        },
    }


def objects(plan: EnvPlan) -> list[dict]:
    return [git_repository(plan), entry_kustomization(plan)] + [kustomization(plan, a) for a in plan.apps]
