"""Worker -> a Deployment without a Service (plus HPA and PDB as for a Service)."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from ..context import Target
from ..pod import PodExtras
from .service import build_deployment

if TYPE_CHECKING:
    from cdk8s import Chart

    from ...spec.kinds.worker import Worker


def build(k8s: ModuleType, chart: Chart, t: Target[Worker]) -> None:
    # A Worker has no ports, so build_deployment makes no Service and no Ingress.
    build_deployment(k8s, chart, t, extras=PodExtras(), always_pdb=False)
