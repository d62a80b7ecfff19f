"""The compact schemas of gitops/crdschemas are derived from the official CRDs and current, and
what synthesis makes passes both the compact schema and the official one."""
from __future__ import annotations

import copy

import jsonschema
import pytest
import yaml

from gitops.crdschemas import FILES, HERE, compact_schemas
from gitops.crdschemas.derive import KEEP, render
from tests.conftest import require_shared

EXTERNAL_SECRET = {
    "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
    "metadata": {"name": "db", "namespace": "web-prod"},
    "spec": {"refreshInterval": "1h", "secretStoreRef": {"kind": "ClusterSecretStore", "name": "vault"},
             "target": {"name": "db", "creationPolicy": "Owner"},
             "data": [{"secretKey": "url", "remoteRef": {"key": "db", "property": "url"}}]},
}


def official_schema(kind_file: str, version: str) -> dict:
    crd = yaml.safe_load((require_shared() / "crds" / kind_file).read_text())
    served = next(v for v in crd["spec"]["versions"] if v["name"] == version)
    return served["schema"]["openAPIV3Schema"]


def test_the_bundled_files_are_what_the_script_derives_from_the_crds() -> None:
    rendered = render(str(require_shared() / "crds"))
    assert sorted(rendered) == sorted(FILES.values())
    for name, text in rendered.items():
        with open(f"{HERE}/{name}", encoding="utf-8") as fh:
            assert fh.read() == text, f"{name} is stale: run python -m gitops.crdschemas.derive ../shared/crds"


def test_an_external_secret_as_gitops_writes_it_passes_the_official_crd_and_the_compact_schema() -> None:
    (kind_file, version), = [k for k in KEEP if "externalsecrets" in k[0]]
    jsonschema.Draft7Validator(official_schema(kind_file, version)).validate(EXTERNAL_SECRET)
    jsonschema.Draft7Validator(compact_schemas()[("external-secrets.io/v1", "ExternalSecret")]).validate(EXTERNAL_SECRET)


@pytest.mark.parametrize("path, value", [
    (("spec", "secretStoreRef", "kind"), "VaultStore"),        # not an enum value of the CRD
    (("spec", "refreshIntervall"), "1h"),                        # a typo of a field
    (("spec", "data", 0, "remoteRef", "keys"), "db"),            # a typo deeper down
])
def test_the_compact_schema_refuses_what_the_crd_refuses_or_does_not_know(path, value) -> None:
    obj = copy.deepcopy(EXTERNAL_SECRET)
    node = obj
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    errors = list(jsonschema.Draft7Validator(compact_schemas()[("external-secrets.io/v1", "ExternalSecret")])
                  .iter_errors(obj))
    assert errors, f"{path} = {value!r} passed"


def test_fields_gitops_does_not_emit_are_still_allowed_so_extra_objects_pass() -> None:
    obj = copy.deepcopy(EXTERNAL_SECRET)
    obj["spec"]["refreshPolicy"] = "Periodic"
    jsonschema.Draft7Validator(compact_schemas()[("external-secrets.io/v1", "ExternalSecret")]).validate(obj)
