"""Escape hatches (patches, extra objects, labels and annotations per object) are part of the spec:
they reach generated/ through every cache, and `check` notices when generated/ lacks them."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import make_project, run_cli

# The old way round a missing option: change gitops's own tables from the spec. Spec files run in
# loader processes and are not imported at all when the spec cache is warm, so such a hook never
# reaches generated/ (and `check` passed, comparing generated/ with output that also lacked it).
HOOK_SPEC = """\
from gitops import App
from gitops.synth import pipeline

def _host_network(config, target, obj):
    if obj.get("kind") == "Deployment":
        obj["spec"]["template"]["spec"]["hostNetwork"] = True
    return obj

pipeline.OBJECT_HOOKS = pipeline.OBJECT_HOOKS + (_host_network,)
web = App(name="web", image="w:1", ports=[80])
"""

HATCH_SPEC = """\
from gitops import App, Patch

web = App(
    name="web", image="w:1", ports=[80],
    patches=[Patch.add("Deployment/web", "/spec/template/spec/dnsPolicy", "ClusterFirstWithHostNet")],
    extra_objects=[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-extra"},
                    "data": {"mode": "base"}}],
    annotations_for={"pod": {"prometheus.io/scrape": "true"}, "ServiceAccount": {"team.example/owner": "web"}},
    environments={"prod": {"patches": [Patch.replace("Service/web", "/spec/type", "NodePort")]}},
)
"""


def _obj(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / "generated" / rel).read_text())


def test_a_spec_that_reaches_into_synthesis_is_refused_not_silently_ignored(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"web.py": HOOK_SPEC})
    result = run_cli(["synth"], root)
    assert result.exit_code == 2, result.output
    assert "apps/web.py:2:" in result.output and "gitops.synth" in result.output
    assert "patches=" in result.output  # the supported way
    assert not (root / "generated").exists()


def _assert_hatches(root: Path) -> None:
    dev = _obj(root, "dev/web/deployment-web.yaml")["spec"]["template"]
    assert dev["spec"]["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert dev["metadata"]["annotations"]["prometheus.io/scrape"] == "true"
    assert _obj(root, "dev/web/serviceaccount-web.yaml")["metadata"]["annotations"] == {
        "team.example/owner": "web"}
    extra = _obj(root, "dev/web/configmap-web-extra.yaml")
    assert extra["metadata"]["namespace"] == "web-dev" and extra["data"] == {"mode": "base"}
    assert extra["metadata"]["labels"]["app.kubernetes.io/name"] == "web"
    assert _obj(root, "dev/web/service-web.yaml")["spec"]["type"] == "ClusterIP"
    # prod replaces the patches: its own patch, not the base one
    assert _obj(root, "prod/web/service-web.yaml")["spec"]["type"] == "NodePort"
    assert "dnsPolicy" not in _obj(root, "prod/web/deployment-web.yaml")["spec"]["template"]["spec"]


def test_escape_hatches_survive_the_spec_cache_and_the_render_cache(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"web.py": HATCH_SPEC})
    assert run_cli(["synth", "--no-cache"], root).exit_code == 0
    _assert_hatches(root)
    # cold caches, then warm ones: the spec file is not imported again, nothing is rendered again
    assert run_cli(["synth"], root).exit_code == 0
    assert run_cli(["synth"], root).exit_code == 0
    _assert_hatches(root)
    assert run_cli(["check", "--fail-on", "never"], root).exit_code == 0
    # generated/ without the patch is drift, with warm caches too
    path = root / "generated/dev/web/deployment-web.yaml"
    path.write_text(path.read_text().replace("      dnsPolicy: ClusterFirstWithHostNet\n", ""))
    result = run_cli(["check", "--fail-on", "never"], root)
    assert result.exit_code == 1 and "generated/dev/web/deployment-web.yaml" in result.output
    (root / "generated/dev/web/configmap-web-extra.yaml").unlink()
    result = run_cli(["check", "--fail-on", "never"], root)
    assert result.exit_code == 1 and "configmap-web-extra.yaml" in result.output
