"""The spec model and its loader."""
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import (App, Autoscaling, FromConfigMap, FromSecret, Ingress, Port, Probe, Resources,
                        Volume)

__all__ = ["App", "Autoscaling", "FromConfigMap", "FromSecret", "Ingress", "Port", "Probe",
           "Resources", "Volume"]


def __getattr__(name: str):
    # Loaded on first use: `gitops.spec.values` alone (used by config) should not pull in the model.
    if name in __all__:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'gitops.spec' has no attribute {name!r}")
