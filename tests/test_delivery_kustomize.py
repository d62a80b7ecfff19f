"""`kubectl kustomize` builds the delivery folders of the repository's generated/ (the bootstrap
path of docs/delivery.md), and the rules find nothing wrong with the repository's own output."""
from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from tests.git_manifests import base_resources
from gitops.policy.api import Context
from gitops.policy.api import index_by_kind
from gitops.policy.engine import run_rule
from gitops.policy.registry import all_rules
from gitops.policy.rules.delivery import RULES
from tests.conftest import IN_CI, REPO


def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        if IN_CI:
            pytest.fail("kubectl is missing on CI: the kustomize build test must not be skipped there")
        pytest.skip("kubectl is not installed")
    return path


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_delivery_folders_build_with_kubectl_kustomize(env):
    built = {}
    for folder in ("_argocd", "_flux"):
        proc = subprocess.run([kubectl(), "kustomize", str(REPO / "generated" / env / folder)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        built[folder] = sorted((d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(proc.stdout) if d)
    apps = sorted(p.name for p in (REPO / "generated" / env).iterdir() if not p.name.startswith("_"))
    if (REPO / "generated" / env / "_kueue").is_dir():  # the Kueue objects are a unit of their own
        proc = subprocess.run([kubectl(), "kustomize", str(REPO / "generated" / env / "_kueue")],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert {d["kind"] for d in yaml.safe_load_all(proc.stdout) if d} >= {"ClusterQueue", "ResourceFlavor"}
        apps = sorted(apps + ["kueue"])
    assert built["_argocd"] == sorted([("AppProject", env), ("Application", f"{env}-root")]
                                      + [("Application", f"{a}-{env}") for a in apps])
    assert built["_flux"] == sorted([("GitRepository", f"gitops-{env}"), ("Kustomization", f"gitops-{env}")]
                                    + [("Kustomization", f"{a}-{env}") for a in apps])


def test_the_repository_output_passes_the_delivery_rules():
    resources = base_resources(str(REPO), "HEAD")
    assert resources
    findings = []
    for module in RULES:
        rule = all_rules()[module.ID]
        ctx = Context(resources=resources, base=resources, options={**rule.options, "root": str(REPO)}
                      if "root" in rule.options else dict(rule.options), index=index_by_kind(tuple(resources)))
        findings += run_rule(rule, ctx, tuple(resources))
    assert [f"{f.rule}: {f.message}" for f in findings] == []
