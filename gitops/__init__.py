"""gitops: declarative Python app specs to checked, committed Kubernetes manifests.

A spec file needs only this module: `from gitops import App, Port, Resources, Probe, ...`.
"""
from .spec import (App, Autoscaling, FromConfigMap, FromSecret, Ingress, Port, Probe, Resources,
                   Volume)

__version__ = "0.1.0"

__all__ = ["App", "Autoscaling", "FromConfigMap", "FromSecret", "Ingress", "Port", "Probe",
           "Resources", "Volume", "__version__"]
