"""The `delivery` section of gitops.yaml: defaults, and every mistake named by file, line and field."""
from __future__ import annotations

import pytest

from gitops import config as config_mod
from gitops.delivery.settings import IN_CLUSTER, Cluster, Delivery
from gitops.errors import InputError
from tests.conftest import make_project

GOOD = """\
environments:
  dev: {}
  prod:
    production: true
    delivery: {server: "https://prod.example.com:6443", revision: release}
delivery:
  target: both
  repoURL: https://github.com/acme/gitops.git
  argocd: {namespace: gitops-argocd, project: "team-{env}"}
  flux: {interval: 5m, secretRef: repo-auth}
"""


def load(tmp_path, text: str):
    return config_mod.load(str(make_project(tmp_path / "p", {}, config=text)))


def test_a_full_section_is_parsed_with_defaults_for_the_rest(tmp_path):
    config = load(tmp_path, GOOD)
    delivery = config.sections["delivery"]
    assert isinstance(delivery, Delivery)
    assert (delivery.target, delivery.revision, delivery.application_set) == ("both", "main", False)
    assert (delivery.argocd.namespace, delivery.argocd.project, delivery.argocd.root_project) == \
        ("gitops-argocd", "team-{env}", "default")
    assert (delivery.flux.namespace, delivery.flux.interval, delivery.flux.secret_ref) == \
        ("flux-system", "5m", "repo-auth")
    assert config.environment("prod").settings["delivery"] == Cluster(server="https://prod.example.com:6443",
                                                                       revision="release")
    assert "delivery" not in config.environment("dev").settings  # in-cluster by default
    assert Cluster().server == IN_CLUSTER


@pytest.mark.parametrize("section, line, expected", [
    ("delivery:\n  target: spinnaker\n  repoURL: https://x.example/r.git\n", 2,
     "delivery.target: got 'spinnaker'; expected one of argocd, flux, both"),
    ("delivery:\n  target: argocd\n", 1, "delivery.repoURL: missing"),
    ("delivery:\n  repoURL: not a url\n", 2, "delivery.repoURL: got 'not a url'"),
    ("delivery:\n  repoURL: https://x.example/r.git\n  applicationset: true\n", 3,
     "delivery.applicationset: unknown field; expected one of"),
    ("delivery:\n  repoURL: https://x.example/r.git\n  applicationSet: yes please\n", 3,
     "delivery.applicationSet: got 'yes please'; expected true or false"),
    ("delivery:\n  repoURL: https://x.example/r.git\n  argocd:\n    namespace: Argo_CD\n", 4,
     "delivery.argocd.namespace: got 'Argo_CD'"),
    ("delivery:\n  repoURL: https://x.example/r.git\n  argocd:\n    projects: x\n", 4,
     "delivery.argocd.projects: unknown field"),
    ("delivery:\n  repoURL: https://x.example/r.git\n  flux: {interval: 10 minutes}\n", 3,
     "delivery.flux.interval: got '10 minutes'; expected a duration"),
    ("delivery:\n  repoURL: https://x.example/r.git\n  path: ../elsewhere\n", 3, "delivery.path: got '../elsewhere'"),
    ("delivery: argocd\n", 1, "delivery: got 'argocd'; expected a mapping"),
    ("delivery:\n  repoURL: https://x.example/r.git\n  argocd: {project: shared}\n", 3,
     "delivery.argocd.project: got 'shared'; expected a name with {env}"),
])
def test_mistakes_name_file_line_and_field(tmp_path, section, line, expected):
    with pytest.raises(InputError) as info:
        load(tmp_path, "environments: [dev]\n" + section)
    problem = info.value.problems[0]
    assert (problem.file.endswith("gitops.yaml"), problem.line) == (True, line + 1)
    assert expected in problem.message


@pytest.mark.parametrize("setting, expected", [
    ("{server: http://plain.example.com}", "delivery.server: got 'http://plain.example.com'"),
    ("{server: https://a.example.com, name: a}", "delivery.name: set either server or name"),
    ("{cluster: a}", "delivery.cluster: unknown field"),
])
def test_environment_settings_are_checked(tmp_path, setting, expected):
    text = f"environments:\n  dev:\n    delivery: {setting}\ndelivery: {{repoURL: https://x.example/r.git}}\n"
    with pytest.raises(InputError) as info:
        load(tmp_path, text)
    assert info.value.problems[0].line == 3
    assert expected in info.value.problems[0].message


def test_invalid_config_is_exit_2_with_file_and_line_from_the_cli(tmp_path):
    from tests.conftest import WEB_SPEC, run_cli

    root = make_project(tmp_path / "p", {"web.py": WEB_SPEC},
                        config="environments: [dev]\ndelivery:\n  target: jenkins\n  repoURL: https://x.example/r.git\n")
    result = run_cli(["synth"], root)
    assert result.exit_code == 2
    assert "gitops.yaml:3: delivery.target: got 'jenkins'" in result.output
