"""Every object the examples and the workload snapshots produce is valid the way the API server
would judge it: the project's own validator (gitops.schema) with the strict Kubernetes schemas and
every CRD of ../shared/crds imported (unknown fields refused unless
x-kubernetes-preserve-unknown-fields, int-or-string, nullable, CEL rules). Plain jsonschema
against a CRD's openAPIV3Schema lets unknown fields through, which is how a TrainJob with the
removed `podSpecOverrides` once passed here."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from gitops.manifests.resource import Origin, Resource
from gitops.schema.crd import import_crds
from gitops.schema.validator import Options, Validator
from tests.conftest import REPO, require_shared

VERSION = str(yaml.safe_load((REPO / "gitops.yaml").read_text())["kubernetesVersion"])
SNAPSHOTS = REPO / "tests" / "snapshots"


BUILTIN_GROUPS = ("", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io",
                  "storage.k8s.io", "scheduling.k8s.io", "node.k8s.io")


class Validators:
    """Built-in kinds against the bundled strict schemas; custom resources against the imported CRDs."""

    def __init__(self, schemas: Path):
        self.builtin = Validator(Options(VERSION, strict=True, locate_lines=False))
        self.store_of_crds = Validator(Options(VERSION, strict=True, schemas_dir=str(schemas), locate_lines=False))

    def for_object(self, obj: dict) -> Validator:
        custom = str(obj.get("apiVersion", "")).rpartition("/")[0] not in BUILTIN_GROUPS
        return self.store_of_crds if custom else self.builtin

    @property
    def store(self):
        return self.store_of_crds.store


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validators:
    crds = require_shared() / "crds"
    target = tmp_path_factory.mktemp("schemas")
    assert import_crds([str(crds)], str(target)), "no CRD imported from ../shared/crds"
    return Validators(target)


def errors_of(validator: Validators, obj: dict) -> list[str]:
    outcome = validator.for_object(obj).validate(Resource(obj, Origin(file="")))
    return [f"{f.path}: {f.message} ({f.rule})" for f in outcome.findings if f.severity == "error"]


def generated_objects() -> list[tuple[str, dict]]:
    """Every object under generated/, the Argo CD and Flux delivery objects included."""
    out = []
    for path in sorted((REPO / "generated").glob("*/*/*.yaml")):
        if path.name != "kustomization.yaml":
            out.append((str(path.relative_to(REPO)), yaml.safe_load(path.read_text())))
    return out


def snapshot_objects() -> list[tuple[str, dict]]:
    out = []
    for snap in sorted(SNAPSHOTS.glob("*.yaml")):
        for chunk in re.split(r"^### ", snap.read_text(), flags=re.M)[1:]:
            name, _, body = chunk.partition("\n")
            if not name.endswith("kustomization.yaml"):
                out.append((f"{snap.name}:{name}", yaml.safe_load(body)))
    return out


def test_every_generated_object_is_valid(validator):
    objects = generated_objects()
    kinds = {obj["kind"] for _, obj in objects}
    assert {"Deployment", "StatefulSet", "Job", "CronJob", "HorizontalPodAutoscaler", "PersistentVolumeClaim",
            "PersistentVolume", "PodDisruptionBudget", "Service", "Application", "AppProject", "Kustomization",
            "GitRepository"} <= kinds
    problems = {name: errs for name, obj in objects if (errs := errors_of(validator, obj))}
    assert problems == {}


def test_every_workload_snapshot_object_is_valid(validator):
    objects = snapshot_objects()
    assert len(objects) > 30 and any(obj["kind"] == "TrainJob" for _, obj in objects)
    problems = {name: errs for name, obj in objects if (errs := errors_of(validator, obj))}
    assert problems == {}


def test_the_schema_check_catches_a_broken_object(validator):
    _, deploy = next(item for item in generated_objects() if item[1]["kind"] == "Deployment")
    broken = copy.deepcopy(deploy)
    broken["spec"]["template"]["spec"]["containers"][0]["resources"]["limit"] = {"cpu": "1"}
    broken["spec"]["replicas"] = "three"
    assert len(errors_of(validator, broken)) >= 2


def _trainjob() -> dict:
    from gitops import Resources, TrainingJob, Volume
    from tests.workload_helpers import synth

    job = TrainingJob(name="tj", image="ghcr.io/acme/train:1.0", nodes=4, gpus_per_node=8, output="kubeflow",
                      resources=Resources(cpu="32", memory="256Gi"), command=["torchrun"], args=["train.py"],
                      env={"EPOCHS": "10"}, volumes=[Volume.pvc("data", "/data", size="1Ti", access_modes=["ReadWriteMany"])])
    files, _ = synth(job, cluster="gke")
    return files["dev/tj/trainjob-tj.yaml"]


def test_trainjob_is_valid_against_the_current_trainer_crd(validator):
    trainjob = _trainjob()
    assert errors_of(validator, trainjob) == []
    broken = copy.deepcopy(trainjob)
    broken["spec"]["trainer"]["numNodes"] = "four"
    del broken["spec"]["runtimeRef"]
    assert len(errors_of(validator, broken)) == 2


def test_unknown_fields_of_a_custom_resource_are_refused(validator):
    """The field the old Trainer API had: strict field validation refuses it, and so does this test."""
    old = copy.deepcopy(_trainjob())
    old["spec"]["podSpecOverrides"] = [{"targetJobs": [{"name": "node"}]}]
    assert any("podSpecOverrides" in e for e in errors_of(validator, old))


def test_shared_crds_cover_every_generated_custom_resource(validator):
    custom = {(obj["apiVersion"], obj["kind"]) for _, obj in generated_objects() + snapshot_objects()
              if obj["apiVersion"].rpartition("/")[0] not in BUILTIN_GROUPS}
    assert custom, "the examples make no custom resource"
    missing = [pair for pair in sorted(custom) if validator.store.lookup(*pair) is None]
    assert missing == []

