"""gitops: declarative Python app specs to checked, committed Kubernetes manifests.

A spec file needs only this module: `from gitops import App, Port, Resources, Probe, ...`.
"""
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .spec import (App, Autoscaling, FromConfigMap, FromSecret, Ingress, Port, Probe, Resources,
                       Volume)


def __getattr__(name: str):
    # The spec model loads on first use, so commands that never read specs (validate) start faster.
    if name in __all__:
        from . import spec

        return getattr(spec, name)
    raise AttributeError(f"module 'gitops' has no attribute {name!r}")

__all__ = ["App", "Autoscaling", "FromConfigMap", "FromSecret", "Ingress", "Port", "Probe",
           "Resources", "Volume", "__version__"]
