"""Custom resources (KServe, Argo Rollouts, LeaderWorkerSet) written through cdk8s ApiObjects.

There are no typed cdk8s classes for them, so the parts they share with core objects (pod
templates, metadata) are built with the typed classes in a scratch chart and taken as JSON; the
custom resource itself is an ApiObject whose spec is that JSON. Their schemas are the compact ones
of gitops.crdschemas (tests check the output against the official CRDs).
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cdk8s import Chart


def _scratch() -> Any:
    import cdk8s

    return cdk8s.Chart(cdk8s.App(outdir="/dev/null"), "scratch", disable_resource_name_hashes=True)


def template_json(k8s: ModuleType, template: Any) -> dict:
    """A k8s.PodTemplateSpec as the JSON a manifest holds."""
    return k8s.KubePodTemplate(_scratch(), "template", template=template).to_json()["template"]


def pod_spec_json(k8s: ModuleType, spec: Any) -> dict:
    """A k8s.PodSpec as the JSON a manifest holds."""
    return k8s.KubePod(_scratch(), "pod", spec=spec).to_json()["spec"]


def custom_object(chart: Chart, construct_id: str, api_version: str, kind: str, metadata: Any, spec: dict) -> Any:
    """An ApiObject of a custom kind with `metadata` (a k8s.ObjectMeta) and `spec` (plain JSON)."""
    import cdk8s

    obj = cdk8s.ApiObject(chart, construct_id, api_version=api_version, kind=kind, metadata=cdk8s.ApiObjectMetadata(
        name=metadata.name, namespace=metadata.namespace, labels=metadata.labels, annotations=metadata.annotations))
    obj.add_json_patch(cdk8s.JsonPatch.add("/spec", spec))
    return obj


def container_named(pod: dict, name: str) -> dict:
    """The app's main container of a pod spec (JSON), renamed (KServe and LWS name theirs)."""
    main = dict(pod["containers"][0])
    main["name"] = name
    return main
