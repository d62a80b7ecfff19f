"""Compact JSON schemas of the platform custom resources gitops emits (KServe, Argo Rollouts,
LeaderWorkerSet, KEDA, Kueue, JobSet, Kubeflow Trainer's TrainJob, External Secrets), so `gitops validate`
and `gitops check` know them offline and strictly.

Each file here is written by `python -m gitops.crdschemas.build ../shared/crds` from the official
CRD named in `SOURCES` (the CRDs themselves are not part of the project); tests/test_crd_schemas.py
checks that every file is still what the script makes of them. To add a kind: one `Source` line
below, then run the script (docs/validation.md, "Custom resources gitops emits").
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class Source:
    crd_file: str  # path below the CRD folder (../shared/crds), as the upstream project names it
    group: str
    kind: str
    version: str  # the served version gitops writes
    # dotted paths ("[]" steps into array items) whose subtree is a Kubernetes type: written as a
    # $ref to the bundled Kubernetes definitions of the target version instead of the CRD's copy
    embedded: tuple[tuple[str, str], ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    @property
    def file_name(self) -> str:
        return f"{self.group}_{self.version}_{self.kind.lower()}.json"


SOURCES = (
    Source("kserve/serving.kserve.io_inferenceservices.yaml", "serving.kserve.io", "InferenceService", "v1beta1"),
    Source("kserve/serving.kserve.io_servingruntimes.yaml", "serving.kserve.io", "ServingRuntime", "v1alpha1"),
    Source("kserve/serving.kserve.io_llminferenceservices.yaml", "serving.kserve.io", "LLMInferenceService",
           "v1alpha2"),
    Source("argo-rollouts/rollout-crd.yaml", "argoproj.io", "Rollout", "v1alpha1"),
    Source("argo-rollouts/analysis-template-crd.yaml", "argoproj.io", "AnalysisTemplate", "v1alpha1"),
    Source("lws/leaderworkerset.x-k8s.io_leaderworkersets.yaml", "leaderworkerset.x-k8s.io", "LeaderWorkerSet", "v1"),
    Source("keda/keda.sh_scaledobjects.yaml", "keda.sh", "ScaledObject", "v1alpha1", (
        ("spec.advanced.horizontalPodAutoscalerConfig.behavior",
         "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior"),)),
    Source("keda/keda.sh_scaledjobs.yaml", "keda.sh", "ScaledJob", "v1alpha1", (
        ("spec.jobTargetRef", "io.k8s.api.batch.v1.JobSpec"),)),
    Source("keda/keda.sh_triggerauthentications.yaml", "keda.sh", "TriggerAuthentication", "v1alpha1"),
    Source("kueue/kueue.x-k8s.io_clusterqueues.yaml", "kueue.x-k8s.io", "ClusterQueue", "v1beta2", (
        ("spec.namespaceSelector", "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"),)),
    Source("kueue/kueue.x-k8s.io_localqueues.yaml", "kueue.x-k8s.io", "LocalQueue", "v1beta2"),
    Source("kueue/kueue.x-k8s.io_resourceflavors.yaml", "kueue.x-k8s.io", "ResourceFlavor", "v1beta2", (
        ("spec.nodeTaints[]", "io.k8s.api.core.v1.Taint"), ("spec.tolerations[]", "io.k8s.api.core.v1.Toleration"))),
    Source("kueue/kueue.x-k8s.io_workloadpriorityclasses.yaml", "kueue.x-k8s.io", "WorkloadPriorityClass",
           "v1beta2"),
    Source("kubeflow/trainer.kubeflow.org_trainjobs.yaml", "trainer.kubeflow.org", "TrainJob", "v1alpha1"),
    Source("jobset/jobset.x-k8s.io_jobsets.yaml", "jobset.x-k8s.io", "JobSet", "v1alpha2", (
        ("spec.replicatedJobs[].template", "io.k8s.api.batch.v1.JobTemplateSpec"),)),
    Source("external-secrets/external-secrets.io_externalsecrets.yaml", "external-secrets.io", "ExternalSecret", "v1"),
)


@lru_cache(maxsize=1)
def _loaded() -> dict[tuple[str, str], dict]:
    out = {}
    for source in SOURCES:
        with open(os.path.join(HERE, source.file_name), encoding="utf-8") as fh:
            out[(source.api_version, source.kind)] = json.load(fh)
    return out


def compact_schemas() -> dict[tuple[str, str], dict]:
    """{(apiVersion, kind): schema}: what the schema store registers for these kinds (copies)."""
    return copy.deepcopy(_loaded())
