"""The sync and health risk rules, each with a failing and a passing case. Manifests live in a real
temporary git repository (two commits); base and new manifests are read back with real git."""
from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tests.git_manifests import base_resources
from gitops.errors import InputError
from gitops.policy.api import Context
from gitops.policy.engine import run_rule
from gitops.policy.registry import all_rules
from gitops.policy.rules.delivery import RULES


def run_alone(rule_id: str, ctx: Context, *objects) -> list:
    """The rule run by the engine (so its findings carry the id and severity), as the gate runs it."""
    rule = all_rules()[rule_id]
    ctx = replace(ctx, severity=rule.severity, options={**rule.options, **ctx.options},
                  resources=tuple(objects) or ctx.resources)
    return run_rule(rule, ctx, ctx.resources)

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


class Repo:
    """A git repository holding generated/ manifests, committed one change at a time."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=self.root, env={**os.environ, **GIT_ENV},
                              capture_output=True, text=True, check=True)
        return proc.stdout

    def commit(self, files: dict[str, dict | None], message: str = "change") -> None:
        for rel, obj in files.items():
            path = self.root / rel
            if obj is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(obj, sort_keys=False))
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def context(self, base: str | None = "HEAD~1", **options) -> Context:
        new = base_resources(str(self.root), "HEAD")
        old = base_resources(str(self.root), base) if base else None
        return Context(resources=new, base=old, options=options)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def deployment(labels: dict, image: str = "web:1", **spec) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "web-dev"},
            "spec": {"selector": {"matchLabels": labels}, **spec,
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "web", "image": image}]}}}}


def job(image: str, annotations: dict | None = None) -> dict:
    meta = {"name": "migrate", "namespace": "web-dev", **({"annotations": annotations} if annotations else {})}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": image}]}}}}


def service(**spec) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "web-dev"},
            "spec": {"ports": [{"port": 80}], **spec}}


def statefulset(size: str, replicas: int = 1) -> dict:
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "web-dev"},
            "spec": {"replicas": replicas, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}},
                                  "spec": {"containers": [{"name": "db", "image": "db:1"}]}},
                     "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                         "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}}]}}


def immutable(repo: Repo, before: dict, after: dict) -> list:
    path = f"generated/dev/web/{before['kind'].lower()}-{before['metadata']['name']}.yaml"
    repo.commit({path: before}, "base")
    repo.commit({path: after}, "change")
    return run_alone("immutable-field-change", repo.context())


# --- immutable-field-change -------------------------------------------------------------------

def test_changed_deployment_selector_fails_with_the_fix(repo):
    findings = immutable(repo, deployment({"app": "web"}), deployment({"app": "web", "tier": "api"}))
    assert [(f.rule, f.path, f.resource) for f in findings] == [
        ("immutable-field-change", "spec.selector", "Deployment/web-dev/web")]
    assert "new name" in findings[0].hint and "Replace=true" in findings[0].hint
    assert findings[0].origin.file == "generated/dev/web/deployment-web.yaml"


def test_a_new_image_with_the_same_selector_passes(repo):
    assert immutable(repo, deployment({"app": "web"}), deployment({"app": "web"}, image="web:2")) == []


def test_changed_job_template_fails_unless_replaced_or_a_recreated_hook(repo):
    findings = immutable(repo, job("migrate:1"), job("migrate:2"))
    assert [f.path for f in findings] == ["spec.template"]
    assert "BeforeHookCreation" in findings[0].hint
    # Replace=true alone is an update the API server refuses for the template; Force=true deletes and creates
    assert len(immutable(repo, job("migrate:2"), job("migrate:3", {"argocd.argoproj.io/sync-options": "Replace=true"}))) == 1
    forced = {"argocd.argoproj.io/sync-options": "Force=true,Replace=true"}
    assert immutable(repo, job("migrate:2"), job("migrate:3", forced)) == []
    hook = {"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation"}
    assert immutable(repo, job("migrate:3"), job("migrate:4", hook)) == []


def test_a_headless_service_cannot_become_a_load_balancer(repo):
    findings = immutable(repo, service(clusterIP="None"), service(type="LoadBalancer"))
    assert [f.path for f in findings] == ["spec.clusterIP"]
    assert "ClusterIP -> LoadBalancer" in findings[0].message


def test_a_service_type_change_that_keeps_its_address_passes(repo):
    assert immutable(repo, service(), service(type="LoadBalancer", ports=[{"port": 443}])) == []


def test_statefulset_claim_templates_fail_but_replicas_pass(repo):
    findings = immutable(repo, statefulset("1Gi"), statefulset("5Gi"))
    assert [f.path for f in findings] == ["spec.volumeClaimTemplates"]
    assert immutable(repo, statefulset("5Gi"), statefulset("5Gi", replicas=3)) == []


def test_without_a_base_there_is_nothing_to_compare(repo):
    repo.commit({"generated/dev/web/deployment-web.yaml": deployment({"app": "web"})})
    assert run_alone("immutable-field-change", repo.context(base=None)) == []


def test_a_renamed_object_is_new_and_passes(repo):
    renamed = deployment({"app": "web", "v": "2"})
    renamed["metadata"]["name"] = "web-v2"
    repo.commit({"generated/dev/web/deployment-web.yaml": deployment({"app": "web"})}, "base")
    repo.commit({"generated/dev/web/deployment-web.yaml": None, "generated/dev/web/deployment-web-v2.yaml": renamed})
    assert run_alone("immutable-field-change", repo.context()) == []


def test_base_resources_reads_the_ref_with_git(repo):
    repo.commit({"generated/dev/web/deployment-web.yaml": deployment({"app": "web"}),
                 "generated/dev/web/kustomization.yaml": {"resources": ["deployment-web.yaml"]}}, "base")
    repo.commit({"generated/dev/web/deployment-web.yaml": None}, "remove")
    assert [r.ref() for r in base_resources(str(repo.root), "HEAD~1")] == ["Deployment/web-dev/web"]
    assert base_resources(str(repo.root), "HEAD") == ()
    with pytest.raises(InputError, match="git rev-parse"):
        base_resources(str(repo.root), "no-such-branch")


# --- rollout-progress-deadline ----------------------------------------------------------------

def slow(deadline: int | None) -> dict:
    obj = deployment({"app": "web"}, **({"progressDeadlineSeconds": deadline} if deadline else {}))
    obj["spec"]["template"]["spec"]["containers"][0].update(
        startupProbe={"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 30, "failureThreshold": 30},
        readinessProbe={"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 5})
    return obj


def test_a_startup_longer_than_the_progress_deadline_fails(repo):
    repo.commit({"generated/dev/web/deployment-web.yaml": slow(None)})
    (res,) = repo.context(base=None).resources
    findings = run_alone("rollout-progress-deadline", Context(), res)
    assert [f.path for f in findings] == ["spec.progressDeadlineSeconds"]
    assert "905s" in findings[0].message and "600" in findings[0].message


def test_a_deadline_that_covers_the_startup_passes(repo):
    repo.commit({"generated/dev/web/deployment-web.yaml": slow(1020)})
    (res,) = repo.context(base=None).resources
    assert run_alone("rollout-progress-deadline", Context(), res) == []


# --- sync-hooks-waves --------------------------------------------------------------------------

def hooks_findings(repo: Repo, annotations: dict) -> list:
    repo.commit({"generated/dev/web/job-migrate.yaml": job("m:1", annotations)})
    (res,) = repo.context(base=None).resources
    return run_alone("sync-hooks-waves", Context(), res)


def test_unknown_hook_and_bad_wave_fail(repo):
    findings = hooks_findings(repo, {"argocd.argoproj.io/hook": "PreSynch", "argocd.argoproj.io/sync-wave": "first"})
    messages = sorted(f.message for f in findings)
    assert len(findings) == 2
    assert any("unknown Argo CD hook 'PreSynch'" in m for m in messages)
    assert any("sync wave 'first' is not an integer" in m for m in messages)


def test_hook_without_delete_policy_passes(repo):
    """Argo CD applies BeforeHookCreation when a hook names no delete policy (gitops-engine)."""
    assert hooks_findings(repo, {"argocd.argoproj.io/hook": "PreSync"}) == []


def test_valid_hooks_and_waves_pass(repo):
    assert hooks_findings(repo, {"argocd.argoproj.io/hook": "PreSync",
                                 "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
                                 "argocd.argoproj.io/sync-wave": "-1"}) == []


# --- application-empty-path and application-overlap -------------------------------------------

def application(name: str, path: str) -> dict:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": name, "namespace": "argocd"},
            "spec": {"project": "dev", "destination": {"server": "https://kubernetes.default.svc", "namespace": "web-dev"},
                     "source": {"repoURL": "https://github.com/acme/gitops.git", "targetRevision": "main",
                                "path": path, "directory": {"exclude": "kustomization.yaml"}}}}


def test_an_application_whose_path_holds_nothing_fails(repo, tmp_path):
    repo.commit({"generated/dev/web/deployment-web.yaml": deployment({"app": "web"}),
                 "generated/dev/_argocd/application-web-dev.yaml": application("web-dev", "generated/dev/wbe")})
    findings = run_alone("application-empty-path", repo.context(base=None, root=str(tmp_path / "nowhere")))
    assert [(f.resource, f.path) for f in findings] == [("Application/argocd/web-dev", "spec.source.path")]


def test_an_application_on_its_app_folder_passes(repo, tmp_path):
    repo.commit({"generated/dev/web/deployment-web.yaml": deployment({"app": "web"}),
                 "generated/dev/_argocd/application-web-dev.yaml": application("web-dev", "./generated/dev/web/")})
    assert run_alone("application-empty-path", repo.context(base=None, root=str(tmp_path / "nowhere"))) == []


def test_two_applications_managing_the_same_resources_fail(repo):
    repo.commit({"generated/dev/web/deployment-web.yaml": deployment({"app": "web"}),
                 "generated/dev/_argocd/application-web-dev.yaml": application("web-dev", "generated/dev/web"),
                 "generated/dev/_argocd/application-web-copy.yaml": application("web-copy", "generated/dev/web")})
    findings = run_alone("application-overlap", repo.context(base=None))
    assert [f.resource for f in findings] == ["Application/argocd/web-dev"]
    assert "Application web-copy" in findings[0].message


def test_applications_with_their_own_folders_pass(repo):
    other = deployment({"app": "api"})
    other["metadata"]["name"] = "api"
    repo.commit({"generated/dev/web/deployment-web.yaml": deployment({"app": "web"}),
                 "generated/dev/api/deployment-api.yaml": other,
                 "generated/dev/_argocd/application-web-dev.yaml": application("web-dev", "generated/dev/web"),
                 "generated/dev/_argocd/application-api-dev.yaml": application("api-dev", "generated/dev/api")})
    assert run_alone("application-overlap", repo.context(base=None)) == []


# --- the rule modules follow the contract --------------------------------------------------------

def test_rules_declare_the_contract_names_and_document_examples():
    ids = [rule.ID for rule in RULES]
    assert len(set(ids)) == len(ids)
    for rule in RULES:
        assert rule.SCOPE in ("resource", "set") and rule.SEVERITY in ("error", "warning", "info")
        assert rule.TITLE and rule.REMEDIATION and isinstance(rule.OPTIONS, dict)
        assert "Fails" in rule.__doc__ and "Passes" in rule.__doc__
