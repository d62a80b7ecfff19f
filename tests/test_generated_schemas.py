"""Every object the examples and the workload snapshots produce is valid against the Kubernetes JSON
schema (the strict schemas kubernetes-validate ships, read with jsonschema directly), and every
TrainJob against the Kubeflow Trainer CRD's openAPIV3Schema from ../shared/crds."""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml
from referencing import Registry, Resource

from tests.conftest import REPO, require_shared

SCHEMAS = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
VERSION = str(yaml.safe_load((REPO / "gitops.yaml").read_text())["kubernetesVersion"])
SNAPSHOTS = REPO / "tests" / "snapshots"


@functools.lru_cache(maxsize=1)
def registry() -> tuple[Path, Registry]:
    folder = SCHEMAS / f"v{VERSION}.0-local-strict"
    definitions = json.loads((folder / "_definitions.json").read_text())
    return folder, Resource.from_contents(definitions) @ Registry()


@functools.lru_cache(maxsize=None)
def validator(kind: str, api_version: str) -> jsonschema.Draft202012Validator:
    folder, reg = registry()
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)  # apps/v1 -> apps-v1
    schema = json.loads((folder / f"{kind.lower()}-{group_version}.json").read_text())
    return jsonschema.Draft202012Validator(schema, registry=Resource.from_contents(schema) @ reg)


@functools.lru_cache(maxsize=1)
def trainjob_validator() -> jsonschema.Draft202012Validator:
    crd = yaml.safe_load((require_shared() / "crds/kubeflow/trainer.kubeflow.org_trainjobs.yaml").read_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1")
    return jsonschema.Draft202012Validator(version["schema"]["openAPIV3Schema"])


def errors_of(obj: dict) -> list[str]:
    if obj.get("kind") == "TrainJob":
        check = trainjob_validator()
    else:
        check = validator(obj["kind"], obj["apiVersion"])
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in check.iter_errors(obj)]


def generated_objects() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((REPO / "generated").glob("*/*/*.yaml")):
        # Delivery folders (_argocd, _flux) hold custom resources: tests/test_delivery_schemas.py.
        if path.name != "kustomization.yaml" and not path.parent.name.startswith("_"):
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


def test_every_generated_object_is_valid():
    objects = generated_objects()
    kinds = {obj["kind"] for _, obj in objects}
    assert {"Deployment", "StatefulSet", "Job", "CronJob", "HorizontalPodAutoscaler", "PersistentVolumeClaim",
            "PodDisruptionBudget", "Service"} <= kinds
    problems = {name: errs for name, obj in objects if (errs := errors_of(obj))}
    assert problems == {}


def test_every_workload_snapshot_object_is_valid():
    objects = snapshot_objects()
    if any(obj["kind"] == "TrainJob" for _, obj in objects):
        require_shared()
    assert len(objects) > 30
    problems = {name: errs for name, obj in objects if (errs := errors_of(obj))}
    assert problems == {}


def test_the_schema_check_catches_a_broken_object():
    _, deploy = next(item for item in generated_objects() if item[1]["kind"] == "Deployment")
    broken = json.loads(json.dumps(deploy))
    broken["spec"]["template"]["spec"]["containers"][0]["resources"]["limit"] = {"cpu": "1"}
    broken["spec"]["replicas"] = "three"
    assert len(errors_of(broken)) >= 2


def test_trainjob_is_valid_against_the_kubeflow_crd():
    require_shared()
    from gitops import Resources, TrainingJob, Volume
    from tests.workload_helpers import synth

    job = TrainingJob(name="tj", image="ghcr.io/acme/train:1.0", nodes=4, gpus_per_node=8, output="kubeflow",
                      resources=Resources(cpu="32", memory="256Gi"), command=["torchrun"], args=["train.py"],
                      env={"EPOCHS": "10"}, volumes=[Volume.pvc("data", "/data", size="1Ti", access_modes=["ReadWriteMany"])])
    files, _ = synth(job, cluster="gke")
    trainjob = files["dev/tj/trainjob-tj.yaml"]
    assert errors_of(trainjob) == []
    trainjob["spec"]["trainer"]["numNodes"] = "four"
    del trainjob["spec"]["runtimeRef"]
    assert len(errors_of(trainjob)) == 2
