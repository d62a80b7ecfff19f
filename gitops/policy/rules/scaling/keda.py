"""What the KEDA rules share: the workload a ScaledObject scales, and whether an HPA is KEDA's own."""
from __future__ import annotations

from ...api import as_map

KEDA_API = "keda.sh/v1alpha1"
# KEDA names the HPA it makes for a ScaledObject keda-hpa-<name> and labels it with the owner
# (kedacore/keda apis/keda/v1alpha1/scaledobject_types.go, ScaledObjectOwnerAnnotation).
OWNER_LABEL = "scaledobject.keda.sh/name"


def scaled_objects(ctx):
    return (res for res in ctx.of_kind("ScaledObject") if str(res.obj.get("apiVersion", "")).startswith("keda.sh/"))


def target_ref(res) -> tuple[str, str]:
    """(kind, name) of what a ScaledObject scales; KEDA's default kind is Deployment."""
    ref = as_map(as_map(res.obj.get("spec")).get("scaleTargetRef"))
    return str(ref.get("kind") or "Deployment"), str(ref.get("name") or "")


def made_by_keda(hpa) -> bool:
    labels = as_map(as_map(hpa.obj.get("metadata")).get("labels"))
    owners = as_map(hpa.obj.get("metadata")).get("ownerReferences") or []
    return OWNER_LABEL in labels or any(isinstance(o, dict) and o.get("kind") == "ScaledObject" for o in owners)
