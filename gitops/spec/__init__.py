"""The spec model and its loader."""
from .model import (App, Autoscaling, FromConfigMap, FromSecret, Ingress, Metric, Port, Probe,
                    Resources, Service, Volume, Workload)
from .scheduling import Scheduling, Toleration
from .workloads import CronJob, Job, ModelServer, StatefulService, TrainingJob, Weights, Worker

__all__ = ["App", "Autoscaling", "CronJob", "FromConfigMap", "FromSecret", "Ingress", "Job", "Metric",
           "ModelServer", "Port", "Probe", "Resources", "Scheduling", "Service", "StatefulService",
           "Toleration", "TrainingJob", "Volume", "Weights", "Worker", "Workload"]
