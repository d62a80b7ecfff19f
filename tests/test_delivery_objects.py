"""Argo CD and Flux objects from a real synthesis: waves and dependsOn from `depends_on`, cycles,
the app-of-apps, the ApplicationSet switch, in-app waves, and byte-identical output."""
from __future__ import annotations

import pytest
import yaml

from gitops import config as config_mod
from gitops.delivery import argocd
from gitops.delivery.common import AppUnit, EnvPlan
from gitops.delivery.graph import Node, build
from gitops.delivery.settings import Cluster, Delivery
from gitops.errors import InputError, SpecError
from gitops.synth.pipeline import synthesize
from tests.conftest import make_project

CONFIG = """\
environments:
  dev: {}
  prod:
    production: true
    delivery: {name: prod-cluster}
delivery:
  target: both
  repoURL: https://github.com/acme/shop.git
"""


def spec(name: str, deps: list[str], extra: str = "") -> str:
    return (f"from gitops import App, Port\n"
            f"app = App(name={name!r}, image='reg.example.com/{name}:1.0', ports=[Port(port=8080)],\n"
            f"          depends_on={deps!r}{extra})\n")


def synth(tmp_path, specs: dict[str, str], config: str = CONFIG) -> dict[str, str]:
    root = make_project(tmp_path / "proj", specs, config=config)
    return synthesize(config_mod.load(str(root)), use_cache=False).files


CHAIN = {"db.py": spec("db", []), "api.py": spec("api", ["db"]), "web.py": spec("web", ["api"]),
         "cron.py": spec("cron", ["db"])}


def test_a_dependency_chain_gives_waves_and_depends_on(tmp_path):
    files = synth(tmp_path, CHAIN)
    waves = {}
    for app in ("db", "api", "web", "cron"):
        application = yaml.safe_load(files[f"dev/_argocd/application-{app}-dev.yaml"])
        waves[app] = application["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]
    assert waves == {"db": "0", "api": "1", "web": "2", "cron": "1"}
    depends = {app: yaml.safe_load(files[f"dev/_flux/kustomization-{app}-dev.yaml"])["spec"].get("dependsOn")
               for app in ("db", "api", "web", "cron")}
    assert depends == {"db": None, "api": [{"name": "db-dev"}], "web": [{"name": "api-dev"}],
                       "cron": [{"name": "db-dev"}]}


def test_applications_point_at_their_folders_with_automated_sync(tmp_path):
    files = synth(tmp_path, CHAIN)
    app = yaml.safe_load(files["prod/_argocd/application-api-prod.yaml"])
    assert app["spec"]["source"] == {"repoURL": "https://github.com/acme/shop.git", "targetRevision": "main",
                                     "path": "generated/prod/api", "directory": {"exclude": "kustomization.yaml"}}
    assert app["spec"]["destination"] == {"name": "prod-cluster", "namespace": "api-prod"}
    assert app["spec"]["project"] == "prod"
    policy = app["spec"]["syncPolicy"]
    # production: self-heal, but a deletion waits for a human (prune off)
    assert policy["automated"] == {"prune": False, "selfHeal": True}
    assert policy["retry"]["backoff"]["factor"] == 2
    # only changed objects are applied (a run-once Job is re-created only when it changed); no
    # CreateNamespace: every app writes its own Namespace
    assert policy["syncOptions"] == ["ApplyOutOfSyncOnly=true"]
    dev = yaml.safe_load(files["dev/_argocd/application-api-dev.yaml"])["spec"]["syncPolicy"]
    assert dev["automated"] == {"prune": True, "selfHeal": True}
    project = yaml.safe_load(files["prod/_argocd/appproject-prod.yaml"])
    assert project["spec"]["sourceRepos"] == ["https://github.com/acme/shop.git"]
    assert project["spec"]["destinations"] == [{"name": "prod-cluster", "namespace": f"{a}-prod"}
                                               for a in ("api", "cron", "db", "web")]
    assert project["spec"]["clusterResourceWhitelist"] == [{"group": "", "kind": "Namespace"}]
    root = yaml.safe_load(files["prod/_argocd/application-prod-root.yaml"])
    assert root["spec"]["source"]["path"] == "generated/prod/_argocd"
    assert root["spec"]["destination"] == {"server": "https://kubernetes.default.svc", "namespace": "argocd"}
    listed = yaml.safe_load(files["prod/_argocd/kustomization.yaml"])["resources"]
    assert listed == sorted(p.rpartition("/")[2] for p in files if p.startswith("prod/_argocd/")
                            and not p.endswith("/kustomization.yaml"))


def test_flux_kustomizations_check_the_workloads_of_their_app(tmp_path):
    files = synth(tmp_path, {"db.py": spec("db", [], ", progress_deadline_seconds=900")})
    kust = yaml.safe_load(files["dev/_flux/kustomization-db-dev.yaml"])["spec"]
    assert kust["path"] == "./generated/dev/db" and kust["prune"] is True and kust["targetNamespace"] == "db-dev"
    assert kust["healthChecks"] == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "db", "namespace": "db-dev"}]
    assert kust["timeout"] == "16m"  # the rollout deadline (15m) plus a minute
    assert kust["sourceRef"] == {"kind": "GitRepository", "name": "gitops-dev"}
    entry = yaml.safe_load(files["dev/_flux/kustomization-gitops-dev.yaml"])["spec"]
    assert entry["path"] == "./generated/dev/_flux"
    repo = yaml.safe_load(files["dev/_flux/gitrepository-gitops-dev.yaml"])["spec"]
    assert repo["url"] == "https://github.com/acme/shop.git" and repo["ref"] == {"branch": "main"}


def test_objects_of_an_app_get_in_app_waves_only_when_argocd_is_a_target(tmp_path):
    files = synth(tmp_path, {"db.py": spec("db", [])})
    wave = {name: yaml.safe_load(files[f"dev/db/{name}"])["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]
            for name in ("namespace-db-dev.yaml", "serviceaccount-db.yaml", "deployment-db.yaml", "service-db.yaml")}
    assert wave == {"namespace-db-dev.yaml": "0", "serviceaccount-db.yaml": "1", "deployment-db.yaml": "4",
                    "service-db.yaml": "3"}
    flux_only = synth(tmp_path / "flux", {"db.py": spec("db", [])},
                      config=CONFIG.replace("target: both", "target: flux"))
    assert "annotations" not in yaml.safe_load(flux_only["dev/db/deployment-db.yaml"])["metadata"]
    assert not any("/_argocd/" in p for p in flux_only) and any("/_flux/" in p for p in flux_only)


def test_a_dependency_cycle_is_an_input_error_naming_the_cycle(tmp_path):
    specs = {"a.py": spec("a", ["b"]), "b.py": spec("b", ["c"]), "c.py": spec("c", ["a"])}
    with pytest.raises(SpecError, match=r"dependency cycle in environment 'dev': a -> b -> c -> a") as info:
        synth(tmp_path, specs)
    assert info.value.problems[0].file.endswith("a.py") and info.value.problems[0].line == 2


def test_an_unknown_dependency_is_an_input_error_even_without_delivery(tmp_path):
    with pytest.raises(SpecError, match=r"app 'a': depends_on: unknown app 'nope' in environment 'dev'"):
        synth(tmp_path, {"a.py": spec("a", ["nope"])}, config="environments: [dev]\n")


def test_application_set_mode_uses_a_git_directory_generator(tmp_path):
    config = CONFIG.replace("target: both", "target: argocd\n  applicationSet: true")
    files = synth(tmp_path / "set", {"db.py": spec("db", []), "web.py": spec("web", [])}, config=config)
    assert not any(p.startswith("dev/_argocd/application-db") for p in files)
    appset = yaml.safe_load(files["dev/_argocd/applicationset-dev-apps.yaml"])["spec"]
    assert appset["generators"][0]["git"]["directories"] == [{"path": "generated/dev/*"},
                                                             {"path": "generated/dev/_*", "exclude": True}]
    assert appset["template"]["spec"]["destination"]["namespace"] == "{{.path.basename}}-dev"
    with pytest.raises(InputError, match="an ApplicationSet cannot order apps"):
        synth(tmp_path / "deps", CHAIN, config=config)


def test_output_is_byte_identical_across_runs(tmp_path):
    first = synth(tmp_path / "one", CHAIN)
    second = synth(tmp_path / "two", dict(reversed(list(CHAIN.items()))))
    assert first == second


def test_sync_policy_per_environment(tmp_path):
    config = CONFIG.replace("  dev: {}", "  dev: {delivery: {prune: false, selfHeal: false}}").replace(
        "delivery: {name: prod-cluster}", "delivery: {name: prod-cluster, sync: manual}")
    files = synth(tmp_path, {"db.py": spec("db", [])}, config=config)
    dev = yaml.safe_load(files["dev/_argocd/application-db-dev.yaml"])["spec"]["syncPolicy"]
    prod = yaml.safe_load(files["prod/_argocd/application-db-prod.yaml"])["spec"]["syncPolicy"]
    assert dev["automated"] == {"prune": False, "selfHeal": False}
    assert "automated" not in prod and prod["syncOptions"] == ["ApplyOutOfSyncOnly=true"]
    with pytest.raises(InputError, match="sync: got 'auto'; expected automated or manual"):
        synth(tmp_path / "bad", {"db.py": spec("db", [])}, config=CONFIG.replace("  dev: {}", "  dev: {delivery: {sync: auto}}"))


def test_create_namespace_only_when_the_app_does_not_write_its_namespace():
    graph = build("dev", [Node("ext", ())])
    unit = AppUnit("ext", "shared", "generated/dev/ext", ({"apiVersion": "v1", "kind": "ConfigMap",
                                                           "metadata": {"name": "c", "namespace": "shared"}},))
    plan = EnvPlan("dev", Delivery(repo_url="https://x.example/r.git"), Cluster(), (unit,), graph, "generated/dev")
    assert argocd.application(plan, unit)["spec"]["syncPolicy"]["syncOptions"] == ["ApplyOutOfSyncOnly=true",
                                                                                 "CreateNamespace=true"]
    assert {"group": "", "kind": "Namespace"} in argocd.app_project(plan)["spec"]["clusterResourceWhitelist"]


def test_the_root_project_cannot_be_a_generated_project(tmp_path):
    config = CONFIG.replace("target: both", "target: argocd\n  argocd: {rootProject: prod}")
    with pytest.raises(InputError, match="rootProject: 'prod' is also the generated AppProject of environment 'prod'"):
        synth(tmp_path, {"db.py": spec("db", [])}, config=config)


def test_an_app_whose_objects_collide_with_delivery_objects_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="two delivery objects would both be written to dev/_flux/kustomization-gitops-dev"):
        synth(tmp_path, {"gitops.py": spec("gitops", [])})
