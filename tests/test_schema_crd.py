"""CRD import: official Argo CD and Flux CRDs (read from ../shared), and a small training-job CRD
written here with int-or-string, preserve-unknown-fields, nullable, an enum and CEL rules."""
from __future__ import annotations

import json

import pytest

from gitops.errors import InputError
from gitops.manifests.resource import Origin, Resource
from gitops.schema.crd import import_crds
from gitops.schema.validator import Options, Validator
from tests.conftest import require_shared

TRAINING_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: trainingjobs.ml.example.com}
spec:
  group: ml.example.com
  names: {kind: TrainingJob, plural: trainingjobs}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: false
    storage: false
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [image, workers]
            x-kubernetes-validations:
            - rule: "self.minWorkers <= self.workers"
              message: "minWorkers must not exceed workers"
            - rule: "self.workers > 0"
            properties:
              image: {type: string}
              workers: {type: integer}
              minWorkers: {type: integer, default: 1}
              maxSurge:
                x-kubernetes-int-or-string: true
                anyOf: [{type: integer}, {type: string}]
              hyperparameters:
                type: object
                x-kubernetes-preserve-unknown-fields: true
              checkpoint:
                type: string
                nullable: true
              precision:
                type: string
                enum: [fp32, bf16, fp16]
              labels:
                type: object
                additionalProperties: {type: string}
"""


def job(**spec) -> dict:
    base = {"image": "trainer:1", "workers": 4, "minWorkers": 2}
    base.update(spec)
    return {"apiVersion": "ml.example.com/v1", "kind": "TrainingJob", "metadata": {"name": "j"}, "spec": base}


@pytest.fixture(scope="module")
def training(tmp_path_factory) -> Validator:
    root = tmp_path_factory.mktemp("crd")
    (root / "crd.yaml").write_text(TRAINING_CRD)
    written = import_crds([str(root / "crd.yaml")], str(root / "schemas"))
    assert [(w.group, w.kind, w.version) for w in written] == [("ml.example.com", "TrainingJob", "v1")]
    return Validator(Options("1.33", schemas_dir=str(root / "schemas")))


def verdict(validator: Validator, obj: dict):
    outcome = validator.validate(Resource(obj, Origin(file="", line=1)))
    return outcome.status, sorted((f.rule, f.path) for f in outcome.findings if f.severity == "error")


@pytest.mark.parametrize("spec,expected", [
    ({}, ("valid", [])),
    ({"maxSurge": 2}, ("valid", [])),
    ({"maxSurge": "25%"}, ("valid", [])),
    ({"maxSurge": [2]}, ("invalid", [("schema-type", "spec.maxSurge")])),
    ({"hyperparameters": {"lr": 0.1, "nested": {"anything": [1, "two"]}}}, ("valid", [])),
    ({"checkpoint": None}, ("valid", [])),
    ({"checkpoint": 3}, ("invalid", [("schema-type", "spec.checkpoint")])),
    ({"precision": "fp8"}, ("invalid", [("schema-enum", "spec.precision")])),
    ({"labels": {"team": "ml"}}, ("valid", [])),
    ({"labels": {"team": 1}}, ("invalid", [("schema-type", "spec.labels.team")])),
    ({"gpus": 8}, ("invalid", [("schema-unknown-field", "spec.gpus")])),
    ({"workers": "4"}, ("invalid", [("schema-type", "spec.workers")])),
    ({"minWorkers": 9}, ("invalid", [("cel-rule", "spec")])),
    ({"workers": 0, "minWorkers": 0}, ("invalid", [("cel-rule", "spec")])),
], ids=lambda v: json.dumps(v) if isinstance(v, dict) else None)
def test_training_job_crd(training, spec, expected):
    assert verdict(training, job(**spec)) == expected


def test_cel_message_comes_from_the_crd(training):
    outcome = training.validate(Resource(job(minWorkers=9), Origin()))
    assert [f.message for f in outcome.findings] == ["minWorkers must not exceed workers"]


def test_missing_required_and_unserved_version(training):
    obj = job()
    del obj["spec"]["image"]
    assert verdict(training, obj) == ("invalid", [("schema-required", "spec.image")])
    old = dict(job(), apiVersion="ml.example.com/v1alpha1")
    assert verdict(training, old) == ("error", [("schema-missing", "")])


def test_no_strict_allows_unknown_fields_in_custom_resources(tmp_path):
    (tmp_path / "crd.yaml").write_text(TRAINING_CRD)
    import_crds([str(tmp_path / "crd.yaml")], str(tmp_path / "schemas"))
    relaxed = Validator(Options("1.33", strict=False, schemas_dir=str(tmp_path / "schemas")))
    assert verdict(relaxed, job(gpus=8)) == ("valid", [])


def test_a_folder_without_crds_imports_nothing_and_bad_yaml_is_an_input_error(tmp_path):
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    assert import_crds([str(tmp_path)], str(tmp_path / "schemas")) == []
    (tmp_path / "bad.yaml").write_text("kind: [\n")
    with pytest.raises(InputError):
        import_crds([str(tmp_path)], str(tmp_path / "schemas"))


@pytest.fixture(scope="module")
def gitops_crds(tmp_path_factory) -> Validator:
    shared = require_shared()
    target = tmp_path_factory.mktemp("official") / "schemas"
    written = import_crds([str(shared / "crds" / "argo-cd"), str(shared / "crds" / "flux")], str(target))
    kinds = {(w.group, w.kind) for w in written}
    assert {("argoproj.io", "Application"), ("argoproj.io", "AppProject"), ("argoproj.io", "ApplicationSet"),
            ("kustomize.toolkit.fluxcd.io", "Kustomization"), ("source.toolkit.fluxcd.io", "GitRepository")} <= kinds
    return Validator(Options("1.33", schemas_dir=str(target)))


APPLICATION = {
    "apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "web-dev", "namespace": "argocd"},
    "spec": {"project": "default",
             "source": {"repoURL": "https://git.example.com/platform.git", "path": "generated/dev/web",
                        "targetRevision": "main"},
             "destination": {"server": "https://kubernetes.default.svc", "namespace": "web-dev"},
             "syncPolicy": {"automated": {"prune": True, "selfHeal": True}, "syncOptions": ["CreateNamespace=true"]}},
}
KUSTOMIZATION = {
    "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
    "metadata": {"name": "web-dev", "namespace": "flux-system"},
    "spec": {"interval": "5m", "path": "./generated/dev/web", "prune": True,
             "sourceRef": {"kind": "GitRepository", "name": "platform"}},
}
GITREPO = {
    "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
    "metadata": {"name": "platform", "namespace": "flux-system"},
    "spec": {"interval": "1m", "url": "https://git.example.com/platform.git", "ref": {"branch": "main"}},
}


def with_spec(obj: dict, **changes) -> dict:
    out = json.loads(json.dumps(obj))
    out["spec"].update(changes)
    return out


def test_official_gitops_objects_are_valid(gitops_crds):
    for obj in (APPLICATION, KUSTOMIZATION, GITREPO):
        assert verdict(gitops_crds, obj) == ("valid", []), obj["kind"]


def test_official_crd_mistakes(gitops_crds):
    assert verdict(gitops_crds, with_spec(APPLICATION, destination={"namespace": 1})) == \
        ("invalid", [("schema-type", "spec.destination.namespace")])
    assert verdict(gitops_crds, with_spec(APPLICATION, sorce={})) == \
        ("invalid", [("schema-unknown-field", "spec.sorce")])
    no_project = with_spec(APPLICATION)
    del no_project["spec"]["project"]
    assert verdict(gitops_crds, no_project) == ("invalid", [("schema-required", "spec.project")])
    assert verdict(gitops_crds, with_spec(KUSTOMIZATION, sourceRef={"kind": "Git", "name": "p"})) == \
        ("invalid", [("schema-enum", "spec.sourceRef.kind")])
    assert verdict(gitops_crds, with_spec(KUSTOMIZATION, interval="five minutes"))[0] == "invalid"


def test_custom_resource_metadata_is_checked_as_object_meta(gitops_crds, training):
    typo = json.loads(json.dumps(APPLICATION))
    typo["metadata"]["lables"] = {"team": "web"}
    assert verdict(gitops_crds, typo) == ("invalid", [("schema-unknown-field", "metadata.lables")])
    [finding] = gitops_crds.validate(Resource(typo, Origin())).findings
    assert finding.hint == "did you mean 'labels'?"
    bad_label = job()
    bad_label["metadata"]["labels"] = {"replicas": 3}
    assert verdict(training, bad_label) == ("invalid", [("schema-type", 'metadata.labels.replicas')])


def test_official_flux_cel_rule_is_evaluated(gitops_crds):
    bad = with_spec(GITREPO, serviceAccountName="builder")
    status, errors = verdict(gitops_crds, bad)
    assert (status, errors) == ("invalid", [("cel-rule", "spec")])
    assert verdict(gitops_crds, with_spec(GITREPO, serviceAccountName="builder", provider="azure")) == ("valid", [])
