"""Every delivery object in the repository's generated/ passes our compact schemas and the official
CRDs (../shared/crds, read in place), and the compact schemas allow nothing the CRDs do not know."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from gitops.delivery.schemas import BASE, FILES, documents, validator
from tests.conftest import REPO, require_shared

CRD_FILES = {
    ("argoproj.io/v1alpha1", "Application"): "argo-cd/application-crd.yaml",
    ("argoproj.io/v1alpha1", "AppProject"): "argo-cd/appproject-crd.yaml",
    ("argoproj.io/v1alpha1", "ApplicationSet"): "argo-cd/applicationset-crd.yaml",
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"): "flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml",
    ("source.toolkit.fluxcd.io/v1", "GitRepository"): "flux/source.toolkit.fluxcd.io_gitrepositories.yaml",
}


def delivery_objects() -> list[tuple[Path, dict]]:
    out = []
    for path in sorted([*REPO.glob("generated/*/_argocd/*.yaml"), *REPO.glob("generated/*/_flux/*.yaml")]):
        if path.name != "kustomization.yaml":
            out.append((path, yaml.safe_load(path.read_text())))
    return out


def strict(schema):
    """The CRD schema with unknown fields refused, as the API server would prune them silently."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items() if k != "properties"}
        if "properties" in schema:
            out["properties"] = {k: strict(v) for k, v in schema["properties"].items()}
            if "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
                out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


@lru_cache(maxsize=None)
def crd_schema(api_version: str, kind: str) -> dict:
    shared = require_shared()
    crd = yaml.load((shared / "crds" / CRD_FILES[(api_version, kind)]).read_text(), Loader=yaml.CSafeLoader)
    version = api_version.rpartition("/")[2]
    (entry,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
    return entry["schema"]["openAPIV3Schema"]


def test_the_repository_has_argocd_and_flux_objects_for_dev_and_prod():
    kinds = {(p.parent.parent.name, p.parent.name, obj["kind"]) for p, obj in delivery_objects()}
    for env in ("dev", "prod"):
        assert {(env, "_argocd", "Application"), (env, "_argocd", "AppProject"),
                (env, "_flux", "Kustomization"), (env, "_flux", "GitRepository")} <= kinds


def test_generated_delivery_objects_pass_the_compact_schemas():
    objects = delivery_objects()
    assert objects
    for path, obj in objects:
        errors = [e.message for e in validator(obj["apiVersion"], obj["kind"]).iter_errors(obj)]
        assert errors == [], path


def test_generated_delivery_objects_pass_the_official_crds_strictly():
    for path, obj in delivery_objects():
        schema = strict(crd_schema(obj["apiVersion"], obj["kind"]))
        errors = [f"{list(e.path)}: {e.message}" for e in Draft7Validator(schema).iter_errors(obj)]
        assert errors == [], path


def test_compact_schemas_refuse_unknown_and_wrong_fields():
    (_, app), *_ = [(p, o) for p, o in delivery_objects() if o["kind"] == "Application"]
    typo = {**app, "spec": {**app["spec"], "syncPolicy": {**app["spec"]["syncPolicy"], "selfheal": True}}}
    assert any("selfheal" in e.message for e in validator(app["apiVersion"], "Application").iter_errors(typo))
    (_, kust), *_ = [(p, o) for p, o in delivery_objects() if o["kind"] == "Kustomization"]
    bad = {**kust, "spec": {**kust["spec"], "interval": "ten minutes"}}
    assert list(validator(kust["apiVersion"], "Kustomization").iter_errors(bad))
    # and the official CRD, made strict, agrees that the typo is unknown
    assert list(Draft7Validator(strict(crd_schema(app["apiVersion"], "Application"))).iter_errors(typo))


def _resolve(node: dict, doc: dict) -> tuple[dict, dict]:
    while "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        doc = documents()[BASE + target] if target else doc
        node = doc
        for part in [p for p in pointer.split("/") if p]:
            node = node[part]
    return node, doc


def _crd_node(node: dict) -> dict:
    return node.get("items", node) if node.get("type") == "array" else node


@pytest.mark.parametrize("key", sorted(FILES))
def test_compact_schemas_allow_only_fields_the_crds_know(key):
    unknown = []

    def walk(compact: dict, doc: dict, crd: dict, path: str) -> None:
        compact, doc = _resolve(compact, doc)
        compact = compact.get("items", compact) if compact.get("type") == "array" else compact
        compact, doc = _resolve(compact, doc)
        crd = _crd_node(crd)
        if "properties" not in crd or "properties" not in compact:
            return
        for name, sub in compact["properties"].items():
            if path == "" and name in ("apiVersion", "kind", "metadata", "status", "operation"):
                continue
            if name not in crd["properties"]:
                unknown.append(f"{path}.{name}")
            else:
                walk(sub, doc, crd["properties"][name], f"{path}.{name}")

    root = documents()[BASE + FILES[key]]
    walk(root, root, crd_schema(*key), "")
    assert unknown == []


def test_application_set_mode_objects_pass_both_schemas(tmp_path):
    from gitops import config as config_mod
    from gitops.synth.pipeline import synthesize
    from tests.conftest import WEB_SPEC, make_project

    config = ("environments: [dev, prod]\ndelivery:\n  target: both\n  applicationSet: true\n"
              "  repoURL: git@github.com:acme/gitops.git\n  path: deploy\n  flux: {secretRef: repo-auth}\n")
    root = make_project(tmp_path / "proj", {"web.py": WEB_SPEC}, config=config)
    files = synthesize(config_mod.load(str(root)), use_cache=False).files
    objects = [yaml.safe_load(text) for path, text in sorted(files.items())
               if "/_" in path and not path.endswith("/kustomization.yaml")]
    assert "ApplicationSet" in {o["kind"] for o in objects}
    repo = [o for o in objects if o["kind"] == "GitRepository"][0]
    assert repo["spec"]["url"] == "ssh://git@github.com/acme/gitops.git"  # Flux refuses the scp-like form
    assert repo["spec"]["secretRef"] == {"name": "repo-auth"}
    appset = [o for o in objects if o["kind"] == "ApplicationSet"][0]
    assert appset["spec"]["generators"][0]["git"]["directories"][0] == {"path": "deploy/generated/dev/*"}
    for obj in objects:
        key = (obj["apiVersion"], obj["kind"])
        assert [e.message for e in validator(*key).iter_errors(obj)] == [], obj["metadata"]["name"]
        assert [e.message for e in Draft7Validator(strict(crd_schema(*key))).iter_errors(obj)] == []


def test_compact_schemas_compile_in_jsonschema_rs_and_refuse_unknown_fields():
    import jsonschema_rs

    from gitops.delivery.schemas import compact_schemas

    schemas = compact_schemas()
    for path, obj in delivery_objects():
        compiled = jsonschema_rs.validator_for(schemas[(obj["apiVersion"], obj["kind"])])
        assert compiled.is_valid(obj), path
        assert not compiled.is_valid({**obj, "spec": {**obj["spec"], "unknownField": 1}}), path
