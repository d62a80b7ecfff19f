"""gitops: declarative Python app specs to checked, committed Kubernetes manifests.

A spec file needs only this module: `from gitops import Service, Port, Resources, Probe, ...`.
Workload kinds: Service (App is its older name), Worker, StatefulService, ModelServer, Job,
CronJob, TrainingJob.

The spec API below is the package's one lazy name table (PEP 562): every `gitops.*` import runs
this file, and loading the spec model here would cost `gitops validate` and `gitops policy`, which
never read specs, 70 to 180 ms of start-up (docs/architecture.md, "Wiring"). Code inside the package imports the module it needs
(`gitops.spec.kinds.service`, `gitops.spec.parts.port`, ...), never these names. Each public name is
written three times (`_SPEC_API`, the TYPE_CHECKING imports, `__all__`); tests/test_imports.py
checks that they agree.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .spec.kinds.cron_job import CronJob
    from .spec.kinds.job import Job
    from .spec.kinds.model_server import ModelServer
    from .spec.kinds.service import App, Service
    from .spec.kinds.stateful_service import StatefulService
    from .spec.kinds.training_job import TrainingJob
    from .spec.kinds.worker import Worker
    from .spec.parts.autoscaling import Autoscaling, Metric
    from .spec.parts.env import FromConfigMap, FromSecret
    from .spec.parts.event_scaling import EventScaling, Trigger
    from .spec.parts.failure import PodFailureRule
    from .spec.parts.identity import CloudIdentity
    from .spec.parts.ingress import Ingress
    from .spec.parts.patch import Patch
    from .spec.parts.port import Port
    from .spec.parts.probe import Probe
    from .spec.parts.resources import Resources
    from .spec.parts.scheduling import Scheduling, Toleration
    from .spec.parts.volume import Volume
    from .spec.parts.weights import Weights
    from .spec.typed import typed_chart

__version__ = "0.1.0"

# name -> the module that defines it
_SPEC_API = {
    "App": "gitops.spec.kinds.service",
    "Service": "gitops.spec.kinds.service",
    "Worker": "gitops.spec.kinds.worker",
    "StatefulService": "gitops.spec.kinds.stateful_service",
    "ModelServer": "gitops.spec.kinds.model_server",
    "Job": "gitops.spec.kinds.job",
    "CronJob": "gitops.spec.kinds.cron_job",
    "TrainingJob": "gitops.spec.kinds.training_job",
    "Autoscaling": "gitops.spec.parts.autoscaling",
    "Metric": "gitops.spec.parts.autoscaling",
    "FromConfigMap": "gitops.spec.parts.env",
    "FromSecret": "gitops.spec.parts.env",
    "EventScaling": "gitops.spec.parts.event_scaling",
    "Trigger": "gitops.spec.parts.event_scaling",
    "Ingress": "gitops.spec.parts.ingress",
    "CloudIdentity": "gitops.spec.parts.identity",
    "Patch": "gitops.spec.parts.patch",
    "PodFailureRule": "gitops.spec.parts.failure",
    "typed_chart": "gitops.spec.typed",
    "Port": "gitops.spec.parts.port",
    "Probe": "gitops.spec.parts.probe",
    "Resources": "gitops.spec.parts.resources",
    "Scheduling": "gitops.spec.parts.scheduling",
    "Toleration": "gitops.spec.parts.scheduling",
    "Volume": "gitops.spec.parts.volume",
    "Weights": "gitops.spec.parts.weights",
}

__all__ = ["App", "Autoscaling", "CloudIdentity", "CronJob", "EventScaling", "FromConfigMap", "FromSecret",
           "Ingress", "Job", "Metric", "ModelServer", "Patch", "PodFailureRule", "Port", "Probe", "Resources",
           "Scheduling", "Service", "StatefulService", "Toleration", "TrainingJob", "Trigger", "Volume", "Weights",
           "Worker", "__version__", "typed_chart"]


def __getattr__(name: str) -> Any:
    if name in _SPEC_API:
        return getattr(importlib.import_module(_SPEC_API[name]), name)
    raise AttributeError(f"module 'gitops' has no attribute {name!r}")
