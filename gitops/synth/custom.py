"""Custom resources (KEDA, Kueue, JobSet) through cdk8s: a plain `ApiObject` holding a dict, since
there are no typed classes for them. Parts of them that are Kubernetes types (a Job spec, a pod
template) are built with the typed classes in a scratch chart and taken over as JSON, so they are
exactly what the Job or Deployment builders write."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .context import Target

if TYPE_CHECKING:
    from cdk8s import Chart


def custom_object(chart: Chart, construct_id: str, api_version: str, kind: str, metadata: dict[str, Any],
                  spec: dict[str, Any] | None) -> Any:
    import cdk8s

    obj = cdk8s.ApiObject(chart, construct_id, api_version=api_version, kind=kind, metadata=cdk8s.ApiObjectMetadata(
        name=metadata["name"], namespace=metadata.get("namespace"), labels=metadata.get("labels"),
        annotations=metadata.get("annotations") or None))
    if spec is not None:
        obj.add_json_patch(cdk8s.JsonPatch.add("/spec", spec))
    return obj


def object_metadata(t: Target, name: str | None = None, namespaced: bool = True,
                    labels: dict[str, str] | None = None, annotations: dict[str, str] | None = None) -> dict[str, Any]:
    """The standard labels of the app, in its namespace (or none, for a cluster-scoped object)."""
    out: dict[str, Any] = {"name": name or t.app.name, "labels": {**t.labels(), **(labels or {})}}
    if namespaced:
        out["namespace"] = t.namespace
    if annotations:
        out["annotations"] = dict(sorted(annotations.items()))
    return out


def as_json(build: Callable[[Chart], Any]) -> dict[str, Any]:
    """What `build(chart)` writes, as JSON: typed objects made in a chart of their own."""
    import cdk8s

    scratch = cdk8s.Chart(cdk8s.App(outdir="/dev/null"), "scratch", disable_resource_name_hashes=True)
    return build(scratch).to_json()


def metadata_json(k8s_meta: Any) -> dict[str, Any]:
    """A typed ObjectMeta (as the builders make it) as the dict `custom_object` takes."""
    out: dict[str, Any] = {"name": k8s_meta.name}
    for key in ("namespace", "labels", "annotations"):
        value = getattr(k8s_meta, key)
        if value:
            out[key] = dict(value) if isinstance(value, dict) else value
    return out
