"""The spec model and its loader."""
from .model import (App, Autoscaling, FromConfigMap, FromSecret, Ingress, Port, Probe, Resources,
                    Volume)

__all__ = ["App", "Autoscaling", "FromConfigMap", "FromSecret", "Ingress", "Port", "Probe",
           "Resources", "Volume"]
