"""immutable-field-change: a field Kubernetes will not change in place differs from the base.

Argo CD and Flux apply changes in place. When the change touches a field the API server treats as
immutable, the apply is refused and the sync fails (Argo CD: "field is immutable"; Flux: the
Kustomization stays not ready) until someone deletes the object by hand. Compared with the
manifests at the base ref (`gitops check --base REF`); without a base the rule does nothing.

Checked: a Job's `spec.template` and `spec.selector`; the `spec.selector` of a Deployment,
DaemonSet or ReplicaSet; a StatefulSet's `spec.selector`, `spec.volumeClaimTemplates`,
`spec.serviceName` and `spec.podManagementPolicy`; a Service's `spec.clusterIP` (a headless
Service cannot become a normal one, nor the reverse, and a type change away from headless needs an
address).

Passes when the object is replaced instead of patched: the annotation
`argocd.argoproj.io/sync-options: Force=true,Replace=true` (Replace=true alone is `kubectl
replace`, an update the API server refuses for an immutable field just the same; Force=true makes
it delete and create), a hook with
`argocd.argoproj.io/hook-delete-policy: BeforeHookCreation`, or Flux's
`kustomize.toolkit.fluxcd.io/force: enabled`. Or give the object a new name.

Options: none.

Fails (the base ref had `selector: {matchLabels: {app: web}}`):

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web-v2}}
  template:
    metadata: {labels: {app: web-v2}}
    spec: {containers: [{name: web, image: ghcr.io/acme/web:1.1}]}
```

Passes (the same change, replaced instead of patched):

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {argocd.argoproj.io/sync-options: "Force=true,Replace=true"}
spec:
  selector: {matchLabels: {app: web-v2}}
  template:
    metadata: {labels: {app: web-v2}}
    spec: {containers: [{name: web, image: ghcr.io/acme/web:1.1}]}
```
"""
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context, as_map
from .common import (
    FLUX_FORCE,
    HOOK,
    HOOK_DELETE_POLICY,
    SYNC_OPTIONS,
    annotations_of,
    listed,
)

ID = "immutable-field-change"
TITLE = "A field Kubernetes cannot change in place differs from the base ref: the sync would fail"
SEVERITY = "error"
REMEDIATION = ("give the object a new name, or let the controllers replace it (Argo CD Force=true,Replace=true, "
               "Flux force)")
OPTIONS: dict[str, Any] = {}
SCOPE = "set"
# The documentation's examples are checked against this base (the manifests at the base ref).
EXAMPLE_CONTEXT = {"base": """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: ghcr.io/acme/web:1.0}]}
"""}

IMMUTABLE = {
    "Job": ("spec.template", "spec.selector"),
    "Deployment": ("spec.selector",),
    "DaemonSet": ("spec.selector",),
    "ReplicaSet": ("spec.selector",),
    "StatefulSet": ("spec.selector", "spec.volumeClaimTemplates", "spec.serviceName", "spec.podManagementPolicy"),
}
_MISSING = object()


def _get(obj: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj:
            return _MISSING
        obj = obj[key]
    return obj


def replaced(res: Resource) -> bool:
    """True when the controllers delete and recreate the object instead of patching it."""
    notes = annotations_of(res)
    if {"Replace=true", "Force=true"} <= set(listed(notes.get(SYNC_OPTIONS))):
        return True
    if notes.get(HOOK) and "BeforeHookCreation" in listed(notes.get(HOOK_DELETE_POLICY)):
        return True
    return str(notes.get(FLUX_FORCE, "")).lower() == "enabled"


def _hint(res: Resource) -> str:
    return (f"give the {res.kind} a new name (e.g. with a version suffix), or let the controllers replace it: "
            f"annotate `{SYNC_OPTIONS}: Force=true,Replace=true` (Argo CD) or `{FLUX_FORCE}: enabled` (Flux)"
            + (f", or make it a hook with `{HOOK_DELETE_POLICY}: BeforeHookCreation`" if res.kind == "Job" else ""))


def _service_change(old: Resource, new: Resource) -> tuple[str, str] | None:
    old_spec = as_map(old.obj.get("spec"))
    new_spec = as_map(new.obj.get("spec"))
    old_ip, new_ip = old_spec.get("clusterIP") or "", new_spec.get("clusterIP") or ""
    old_type, new_type = old_spec.get("type") or "ClusterIP", new_spec.get("type") or "ClusterIP"
    type_note = f" (type {old_type} -> {new_type})" if old_type != new_type else ""
    if old_ip == "None" and new_ip != "None":
        return "spec.clusterIP", f"a headless Service (clusterIP None) cannot get an address in place{type_note}"
    if new_ip and new_ip != old_ip:
        return "spec.clusterIP", f"clusterIP changes from {old_ip or 'an assigned address'} to {new_ip}{type_note}"
    return None


def _base_index(base: tuple[Resource, ...]) -> dict[tuple[str, str, str, str], Resource]:
    return {(r.group, r.kind, r.namespace, r.name): r for r in base}


def check(ctx: Context) -> Iterator[Found]:
    if not ctx.base:
        return
    index = _base_index(ctx.base)
    for res in ctx.resources:
        old = index.get((res.group, res.kind, res.namespace, res.name))
        if old is None or replaced(res):
            continue
        if res.kind == "Service":
            change = _service_change(old, res)
            if change:
                path, what = change
                yield Found(res, f"{res.ref()}: {what}; the API server refuses it and "
                            "the sync fails", path=path, hint=_hint(res))
            continue
        for path in IMMUTABLE.get(res.kind, ()):
            before, after = _get(old.obj, path), _get(res.obj, path)
            if before != after and not (res.kind == "Job" and path == "spec.selector" and after is _MISSING):
                yield Found(res, f"{res.ref()}: {path} differs from the base, and Kubernetes does not allow "
                            "changing it in place; the sync fails with 'field is immutable'",
                            path=path, hint=_hint(res))
