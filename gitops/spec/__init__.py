"""The spec model and its loader."""
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import (App, Autoscaling, FromConfigMap, FromSecret, Ingress, Metric, Port, Probe,
                        Resources, Service, Volume, Workload)
    from .scheduling import Scheduling, Toleration
    from .workloads import CronJob, Job, ModelServer, StatefulService, TrainingJob, Weights, Worker

_HOME = {"Scheduling": "scheduling", "Toleration": "scheduling", "CronJob": "workloads", "Job": "workloads",
         "ModelServer": "workloads", "StatefulService": "workloads", "TrainingJob": "workloads",
         "Weights": "workloads", "Worker": "workloads"}

__all__ = ["App", "Autoscaling", "CronJob", "FromConfigMap", "FromSecret", "Ingress", "Job", "Metric",
           "ModelServer", "Port", "Probe", "Resources", "Scheduling", "Service", "StatefulService",
           "Toleration", "TrainingJob", "Volume", "Weights", "Worker", "Workload"]


def __getattr__(name: str):
    # Loaded on first use: `gitops.spec.values` alone (used by config) should not load the model.
    if name in __all__:
        import importlib

        return getattr(importlib.import_module(f".{_HOME.get(name, 'model')}", __name__), name)
    raise AttributeError(f"module 'gitops.spec' has no attribute {name!r}")
