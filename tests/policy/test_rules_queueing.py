"""Kueue rules: every rule's examples, and the quota arithmetic Kueue's flavor assigner does."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("queueing"))
def test_examples(rule_id):
    assert_examples(rule_id)


QUEUE = """
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: training, namespace: ml}
spec: {clusterQueue: training}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: training}
spec:
  %(cohort)s
  resourceGroups:
  - coveredResources: [cpu, memory, nvidia.com/gpu]
    flavors:
    - name: nvidia-l4
      resources: [{name: cpu, nominalQuota: "48"}, {name: memory, nominalQuota: 192Gi}, {name: nvidia.com/gpu, nominalQuota: "4"%(borrow)s}]
    - name: nvidia-h100
      resources: [{name: cpu, nominalQuota: "96"}, {name: memory, nominalQuota: 1Ti}, {name: nvidia.com/gpu, nominalQuota: "8"}]
"""
OTHER = """
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: research}
spec:
  cohortName: ml
  resourceGroups:
  - coveredResources: [cpu, memory, nvidia.com/gpu]
    flavors:
    - name: nvidia-l4
      resources: [{name: cpu, nominalQuota: "48"}, {name: memory, nominalQuota: 192Gi}, {name: nvidia.com/gpu, nominalQuota: "8", lendingLimit: "6"}]
"""
JOBSET = """
---
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata: {name: llm, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  replicatedJobs:
  - name: leader
    replicas: 1
    template: {spec: {template: {spec: {containers: [{name: t, image: i:1, resources: {requests: {cpu: "8", memory: 64Gi, nvidia.com/gpu: "%(gpus)s"}}}]}}}}
  - name: workers
    replicas: %(workers)s
    template: {spec: {template: {spec: {containers: [{name: t, image: i:1, resources: {requests: {cpu: "8", memory: 64Gi, nvidia.com/gpu: "%(gpus)s"}}}]}}}}
"""


def queue(cohort="", borrow=""):
    return QUEUE % {"cohort": cohort, "borrow": borrow}


def test_a_jobset_counts_every_replica_of_every_replicated_job():
    # 1 + 3 pods x 2 GPUs = 8: fits the H100 flavor (8), not the L4 one (4)
    assert check("kueue-quota-exceeded", queue() + JOBSET % {"gpus": 2, "workers": 3}) == []
    # 2 on L4 and 8 on H100: pod sets may take different flavors
    assert check("kueue-quota-exceeded", queue() + JOBSET % {"gpus": 2, "workers": 4}) == []
    found = check("kueue-quota-exceeded", queue() + JOBSET % {"gpus": 8, "workers": 1})
    assert len(found) == 1 and found[0].severity == "error"
    assert "16 nvidia.com/gpu in all > at most 12 across its flavors" in found[0].message
    assert "ClusterQueue training (through LocalQueue training)" in found[0].message


def test_one_pod_set_larger_than_every_flavor():
    found = check("kueue-quota-exceeded", queue() + JOBSET % {"gpus": 4, "workers": 3})
    assert len(found) == 1
    assert "pod set 'workers': 12 nvidia.com/gpu (3 pods) > at most 8 in any flavor" in found[0].message


def test_borrowing_from_the_cohort_is_capped_by_the_lending_and_borrowing_limits():
    # L4 capacity: 4 own + 6 the research queue lends = 10; a 10-GPU pod set fits only through borrowing
    text = JOBSET % {"gpus": 2, "workers": 4}
    found = check("kueue-quota-exceeded", queue(cohort="cohortName: ml") + OTHER + text.replace(
        "nvidia.com/gpu: \"2\"}}}]}}}}\n  - name: workers", "nvidia.com/gpu: \"2\"}}}]}}}}\n  - name: workers"))
    assert found == []
    capped = check("kueue-quota-exceeded", queue(cohort="cohortName: ml", borrow=', borrowingLimit: "1"') + OTHER
                   + (JOBSET % {"gpus": 3, "workers": 3}).replace("replicas: 3", "replicas: 3"))
    assert capped and capped[0].severity == "info"  # a cohort: queues outside the set may lend more


def test_a_resource_no_group_covers_is_never_admitted():
    text = queue() + (JOBSET % {"gpus": 1, "workers": 1}).replace('memory: 64Gi', 'memory: 64Gi, example.com/fpga: "1"')
    assert "example.com/fpga: no resource group of the queue covers it" in check("kueue-quota-exceeded", text)[0].message


def test_references_are_certain_only_when_the_set_has_kueue_objects():
    job = JOBSET % {"gpus": 1, "workers": 1}
    alone = check("kueue-references", job)
    assert [f.severity for f in alone] == ["info"]
    assert "no LocalQueue" in alone[0].message
    missing = check("kueue-references", queue() + job.replace("kueue.x-k8s.io/queue-name: training",
                                                            "kueue.x-k8s.io/queue-name: trainin"))
    # and the two flavors have no ResourceFlavor: the set has none at all, so only infos
    assert [f.severity for f in missing] == ["error", "info", "info"]


def test_a_suspended_queued_job_under_flux_is_flagged():
    text = """
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ml, namespace: flux-system}
spec: {path: ./deploy/ml, prune: true, interval: 10m, sourceRef: {kind: GitRepository, name: repo}}
---
# file: deploy/ml/job-train.yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  suspend: true
  template: {spec: {restartPolicy: Never, containers: [{name: t, image: ghcr.io/acme/train:1.0}]}}
"""
    found = check("kueue-suspend-sync", text)
    assert len(found) == 1 and "re-applies suspend: true" in found[0].message
    assert check("kueue-suspend-sync", text.replace("  suspend: true\n", "")) == []


def test_a_flux_patch_that_removes_suspend_passes():
    text = """
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ml, namespace: flux-system}
spec:
  path: ./deploy/ml
  prune: true
  interval: 10m
  sourceRef: {kind: GitRepository, name: repo}
  patches:
  - patch: '[{"op": "remove", "path": "/spec/suspend"}]'
    target: {group: batch, kind: Job, labelSelector: kueue.x-k8s.io/queue-name}
---
# file: deploy/ml/job-train.yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ml, labels: {kueue.x-k8s.io/queue-name: training}}
spec:
  suspend: true
  template: {spec: {restartPolicy: Never, containers: [{name: t, image: ghcr.io/acme/train:1.0}]}}
"""
    assert check("kueue-suspend-sync", text) == []


SETUP = """
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: user-queue, namespace: default}
spec: {clusterQueue: cluster-queue}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: cluster-queue}
spec:
  resourceGroups:
  - coveredResources: [cpu]
    flavors: [{name: default-flavor, resources: [{name: cpu, nominalQuota: "%s"}]}]
"""
PARTIAL = """
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: sample-job-
  labels: {kueue.x-k8s.io/queue-name: user-queue}
  annotations: {kueue.x-k8s.io/job-min-parallelism: "5"}
spec:
  parallelism: 20
  completions: 20
  template: {spec: {restartPolicy: Never, containers: [{name: c, image: i:1, resources: {requests: {cpu: "1"}}}]}}
"""


def test_an_unnamespaced_job_queues_in_the_default_namespace_and_partial_admission_counts():
    # Kueue's own examples: a Job without a namespace next to a LocalQueue in `default`; Kueue may
    # admit it with as few as job-min-parallelism pods
    assert [f.message for f in check("kueue-references", SETUP % 9 + PARTIAL)] == [
        "flavor 'default-flavor' has no ResourceFlavor"]  # an info: the set has no ResourceFlavor at all
    assert check("kueue-quota-exceeded", SETUP % 9 + PARTIAL) == []
    whole = PARTIAL.replace('  annotations: {kueue.x-k8s.io/job-min-parallelism: "5"}\n', "")
    assert "20 cpu (20 pods) > at most 9" in check("kueue-quota-exceeded", SETUP % 9 + whole)[0].message


def test_alternative_setups_of_one_queue_name_need_the_workload_to_fit_none():
    whole = PARTIAL.replace('  annotations: {kueue.x-k8s.io/job-min-parallelism: "5"}\n', "")
    assert check("kueue-quota-exceeded", SETUP % 9 + "---" + (SETUP % 32).split("---")[1] + whole) == []
    assert len(check("kueue-quota-exceeded", SETUP % 9 + "---" + (SETUP % 16).split("---")[1] + whole)) == 1
