"""gitops: declarative Python app specs to checked, committed Kubernetes manifests.

A spec file needs only this module: `from gitops import Service, Port, Resources, Probe, ...`.
Workload kinds: Service (App is its older name), Worker, StatefulService, ModelServer, Job,
CronJob, TrainingJob.
"""
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spec import (App, Autoscaling, CronJob, FromConfigMap, FromSecret, Ingress, Job, Metric,
                       ModelServer, Port, Probe, Resources, Scheduling, Service, StatefulService,
                       Toleration, TrainingJob, Volume, Weights, Worker)

__version__ = "0.1.0"

__all__ = ["App", "Autoscaling", "CronJob", "FromConfigMap", "FromSecret", "Ingress", "Job", "Metric",
           "ModelServer", "Port", "Probe", "Resources", "Scheduling", "Service", "StatefulService",
           "Toleration", "TrainingJob", "Volume", "Weights", "Worker", "__version__"]


def __getattr__(name: str):
    # The spec model loads on first use: commands that never read specs (validate) start faster.
    if name in __all__:
        from . import spec

        return getattr(spec, name)
    raise AttributeError(f"module 'gitops' has no attribute {name!r}")
