"""Derive the compact schemas of this folder from the official CRDs (run by `make crd-schemas`).

    python -m gitops.crdschemas.derive ../shared/crds

For each kind in `KINDS`: the CRD's `openAPIV3Schema` of the named version, translated to JSON
Schema (gitops.schema.crd: nullable, int-or-string), strict (unknown fields refused, as kubectl's
strict field validation does), without descriptions, and with every embedded Kubernetes type (a
Job template, tolerations, a label selector) replaced by a `$ref` to the bundled Kubernetes
definitions of the target version, which the schema store registers anyway. That is what makes
them small: the JobSet CRD is 820 kB, its schema here a few kB. The CRDs themselves stay outside
the project; `tests/test_crd_schemas.py` re-derives every file from ../shared/crds and fails when
one differs, so a CRD update is one command and a reviewed diff.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any

import yaml

from ..schema.builtin import DEFINITIONS_ID
from ..schema.crd import crd_schemas, strictify

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES_FILE = "_sources.json"
K8S = DEFINITIONS_ID + "#/$defs/"

# (apiVersion, kind) -> (CRD file under the crds folder, {dotted path: Kubernetes definition}).
# A path names properties from the root; "[]" steps into the items of an array.
KINDS: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
    ("keda.sh/v1alpha1", "ScaledObject"): ("keda/keda.sh_scaledobjects.yaml", {
        "spec.advanced.horizontalPodAutoscalerConfig.behavior":
            "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior"}),
    ("keda.sh/v1alpha1", "ScaledJob"): ("keda/keda.sh_scaledjobs.yaml", {
        "spec.jobTargetRef": "io.k8s.api.batch.v1.JobSpec"}),
    ("keda.sh/v1alpha1", "TriggerAuthentication"): ("keda/keda.sh_triggerauthentications.yaml", {}),
    ("kueue.x-k8s.io/v1beta2", "ClusterQueue"): ("kueue/kueue.x-k8s.io_clusterqueues.yaml", {
        "spec.namespaceSelector": "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"}),
    ("kueue.x-k8s.io/v1beta2", "LocalQueue"): ("kueue/kueue.x-k8s.io_localqueues.yaml", {}),
    ("kueue.x-k8s.io/v1beta2", "ResourceFlavor"): ("kueue/kueue.x-k8s.io_resourceflavors.yaml", {
        "spec.nodeTaints[]": "io.k8s.api.core.v1.Taint",
        "spec.tolerations[]": "io.k8s.api.core.v1.Toleration"}),
    ("kueue.x-k8s.io/v1beta2", "WorkloadPriorityClass"): ("kueue/kueue.x-k8s.io_workloadpriorityclasses.yaml", {}),
    ("jobset.x-k8s.io/v1alpha2", "JobSet"): ("jobset/jobset.x-k8s.io_jobsets.yaml", {
        "spec.replicatedJobs[].template": "io.k8s.api.batch.v1.JobTemplateSpec"}),
}
_DROPPED = ("description", "example", "x-kubernetes-group-version-kind")


def file_name(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    return f"{group}_{version}_{kind.lower()}.json"


def _compact(node: Any) -> Any:
    if isinstance(node, list):
        return [_compact(v) for v in node]
    if not isinstance(node, dict):
        return node
    return {k: (v if k in ("enum", "default", "x-kubernetes-validations") else _compact(v))
            for k, v in node.items() if k not in _DROPPED}


def _replace(schema: dict, path: str, definition: str, where: str) -> None:
    node: Any = schema
    steps = path.split(".")
    for i, step in enumerate(steps):
        key, items = (step[:-2], True) if step.endswith("[]") else (step, False)
        parent = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(parent, dict) or key not in parent:
            raise SystemExit(f"{where}: no field {'.'.join(steps[:i + 1])!r} in the CRD (KINDS in {__file__})")
        last = i == len(steps) - 1
        if items:
            if last:
                parent[key] = {**{k: v for k, v in parent[key].items() if k in ("type",)},
                               "items": {"$ref": K8S + definition}}
                return
            node = parent[key]["items"]
        elif last:
            nullable = parent[key].get("type")
            parent[key] = {"$ref": K8S + definition}
            if isinstance(nullable, list) and "null" in nullable:
                parent[key] = {"anyOf": [{"type": "null"}, {"$ref": K8S + definition}]}
            return
        else:
            node = parent[key]


def derive(crds_dir: str, api_version: str, kind: str) -> tuple[dict, str]:
    """The compact schema of one kind, and the sha256 of the CRD file it came from."""
    rel, embedded = KINDS[(api_version, kind)]
    path = os.path.join(crds_dir, rel)
    with open(path, "rb") as fh:
        raw = fh.read()
    crd = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    version = api_version.rpartition("/")[2]
    found = [schema for _, k, v, schema in crd_schemas(crd) if k == kind and v == version]
    if not found:
        raise SystemExit(f"{path}: no served version {version} of {kind}")
    schema = _compact(found[0])
    for field_path, definition in sorted(embedded.items()):
        _replace(schema, field_path, definition, path)
    # CRDs say only `metadata: {type: object}`; the API server checks it as ObjectMeta.
    schema["properties"]["metadata"] = {"$ref": K8S + "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
    schema = strictify(schema)
    if "status" in schema["properties"]:
        schema["properties"]["status"] = {"type": "object"}  # written by the controller, not by us
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "title": f"{kind} ({api_version}), derived from {rel} by gitops.crdschemas.derive", **schema}
    return out, hashlib.sha256(raw).hexdigest()


def render(schema: dict) -> str:
    return json.dumps(schema, indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        print("usage: python -m gitops.crdschemas.derive CRDS_DIR  (the official CRDs, e.g. ../shared/crds)",
              file=sys.stderr)
        return 2
    sources = {}
    for api_version, kind in sorted(KINDS):
        schema, digest = derive(argv[0], api_version, kind)
        name = file_name(api_version, kind)
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as fh:
            fh.write(render(schema))
        sources[name] = {"apiVersion": api_version, "kind": kind, "crd": KINDS[(api_version, kind)][0],
                         "sha256": digest}
    with open(os.path.join(HERE, SOURCES_FILE), "w", encoding="utf-8") as fh:
        fh.write(render(sources))
    print(f"wrote {len(sources)} schemas to {os.path.relpath(HERE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
