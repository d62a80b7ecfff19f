"""gitops: declarative Python app specs to checked, committed Kubernetes manifests.

A spec file needs only this module: `from gitops import Service, Port, Resources, Probe, ...`.
Workload kinds: Service (App is its older name), Worker, StatefulService, ModelServer, Job,
CronJob, TrainingJob.

The spec API below is the package's one lazy name table (PEP 562): every `gitops.*` import runs
this file, and loading the spec model here would cost `gitops validate` and `gitops policy`, which
never read specs, about 35 ms of start-up. Code inside the package imports the module it needs
(`gitops.spec.model`, ...), never these names; tests/test_imports.py checks both.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .spec.model import (App, Autoscaling, FromConfigMap, FromSecret, Ingress, Metric, Port, Probe, Resources,
                             Service, Volume)
    from .spec.scheduling import Scheduling, Toleration
    from .spec.workloads import CronJob, Job, ModelServer, StatefulService, TrainingJob, Weights, Worker

__version__ = "0.1.0"

# name -> the module that defines it
_SPEC_API = {
    **dict.fromkeys(["App", "Autoscaling", "FromConfigMap", "FromSecret", "Ingress", "Metric", "Port", "Probe",
                     "Resources", "Service", "Volume"], "gitops.spec.model"),
    **dict.fromkeys(["Scheduling", "Toleration"], "gitops.spec.scheduling"),
    **dict.fromkeys(["CronJob", "Job", "ModelServer", "StatefulService", "TrainingJob", "Weights", "Worker"],
                    "gitops.spec.workloads"),
}

__all__ = ["App", "Autoscaling", "CronJob", "FromConfigMap", "FromSecret", "Ingress", "Job", "Metric",
           "ModelServer", "Port", "Probe", "Resources", "Scheduling", "Service", "StatefulService",
           "Toleration", "TrainingJob", "Volume", "Weights", "Worker", "__version__"]


def __getattr__(name: str) -> Any:
    if name in _SPEC_API:
        return getattr(importlib.import_module(_SPEC_API[name]), name)
    raise AttributeError(f"module 'gitops' has no attribute {name!r}")
