"""PersistentVolumeClaims an app owns (`Volume.pvc(..., size=...)`) outside a StatefulSet."""
from __future__ import annotations

from typing import Any

from .context import Target
from .pod import claim_spec


def build_claims(k8s: Any, chart: Any, t: Target, meta: Any) -> None:
    for v in t.app.volumes:
        if v.owned_claim:
            k8s.KubePersistentVolumeClaim(chart, f"pvc-{v.ref}", metadata=meta(k8s, t, name=v.ref),
                                          spec=claim_spec(k8s, t, v))
