"""Every workload kind synthesized: a snapshot of all its files plus targeted field-by-field asserts."""
from __future__ import annotations

import dataclasses

import pytest

from gitops import (Autoscaling, CronJob, FromSecret, Job, Metric, ModelServer, Port, Probe, Resources,
                    Scheduling, Service, StatefulService, Toleration, TrainingJob, Volume, Weights, Worker)
from gitops.synth.secrets import SecretStoreRef
from tests.workload_helpers import assert_snapshot, synth

SELECTOR = lambda name, env="dev": {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": f"{name}-{env}"}  # noqa: E731


def pod_of(obj):
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def test_service_is_app_and_scales_on_every_metric_kind():
    from gitops import App
    assert App is Service
    api = Service(name="api", image="r.example.com/api:1.0", ports=[Port(name="http", port=8080)],
                  resources=Resources(cpu="250m", memory="256Mi"),
                  autoscaling=Autoscaling(min_replicas=2, max_replicas=10, cpu_percent=60, memory_percent=80,
                                          scale_up_stabilization_seconds=30, scale_down_stabilization_seconds=600,
                                          metrics=[Metric.pods("http_requests_in_flight", average_value=20),
                                                   Metric.object("requests_per_second", kind="Ingress",
                                                                 object_name="api", value="2k",
                                                                 api_version="networking.k8s.io/v1"),
                                                   Metric.external("queue_depth", average_value=30,
                                                                   selector={"queue": "orders"})]))
    files, result = synth(api)
    assert_snapshot("service", result)
    assert "replicas" not in files["dev/api/deployment-api.yaml"]["spec"], "the HPA owns the replica count"
    hpa = files["dev/api/horizontalpodautoscaler-api.yaml"]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}
    assert hpa["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
        {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}},
        {"type": "Pods", "pods": {"metric": {"name": "http_requests_in_flight"},
                                  "target": {"type": "AverageValue", "averageValue": "20"}}},
        {"type": "Object", "object": {"describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                                                          "name": "api"},
                                      "metric": {"name": "requests_per_second"},
                                      "target": {"type": "Value", "value": "2k"}}},
        {"type": "External", "external": {"metric": {"name": "queue_depth", "selector": {"matchLabels": {"queue": "orders"}}},
                                          "target": {"type": "AverageValue", "averageValue": "30"}}}]
    assert hpa["behavior"] == {"scaleUp": {"stabilizationWindowSeconds": 30},
                               "scaleDown": {"stabilizationWindowSeconds": 600}}


def test_manual_replicas_per_environment_stay_in_the_deployment():
    api = Service(name="api", image="api:1", ports=[80], environments={"prod": {"replicas": 4}})
    files, _ = synth(api, envs=("dev", "prod"))
    assert files["dev/api/deployment-api.yaml"]["spec"]["replicas"] == 1
    assert files["prod/api/deployment-api.yaml"]["spec"]["replicas"] == 4


def test_worker_has_no_service_and_scales_on_an_external_metric():
    worker = Worker(name="consumer", image="c:1.0", resources=Resources(cpu="100m", memory="128Mi"),
                    autoscaling=Autoscaling(min_replicas=1, max_replicas=20, cpu_percent=None,
                                            metrics=[Metric.external("queue_messages_ready", average_value=50)]))
    files, result = synth(worker)
    assert_snapshot("worker", result)
    assert sorted(p.split("/")[-1] for p in files) == [
        "deployment-consumer.yaml", "horizontalpodautoscaler-consumer.yaml", "kustomization.yaml",
        "namespace-consumer-dev.yaml", "serviceaccount-consumer.yaml"]
    deploy = files["dev/consumer/deployment-consumer.yaml"]
    assert deploy["metadata"]["labels"]["app.kubernetes.io/component"] == "worker"
    assert "ports" not in pod_of(deploy)["containers"][0]
    assert files["dev/consumer/horizontalpodautoscaler-consumer.yaml"]["spec"]["metrics"] == [
        {"type": "External", "external": {"metric": {"name": "queue_messages_ready"},
                                          "target": {"type": "AverageValue", "averageValue": "50"}}}]


def test_stateful_service_has_claim_templates_and_a_headless_service():
    db = StatefulService(name="vectors", image="qdrant/qdrant:v1.12.4", ports=[Port(name="http", port=6333)],
                         replicas=3, resources=Resources(cpu="1", memory="2Gi"),
                         volumes=[Volume.pvc("data", "/qdrant/storage", size="50Gi"),
                                  Volume.config_map("conf", "/qdrant/config", config_map="vectors-conf")])
    files, result = synth(db, cluster="gke")
    assert_snapshot("stateful-service", result)
    sts = files["dev/vectors/statefulset-vectors.yaml"]
    spec = sts["spec"]
    assert spec["serviceName"] == "vectors" and spec["replicas"] == 3
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert spec["volumeClaimTemplates"] == [{
        "metadata": {"name": "data", "labels": SELECTOR("vectors")},
        "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard-rwo",
                 "resources": {"requests": {"storage": "50Gi"}}}}]
    pod = pod_of(sts)
    assert [v["name"] for v in pod["volumes"]] == ["tmp", "conf"], "the claim comes from the template"
    assert {"name": "data", "mountPath": "/qdrant/storage"} in pod["containers"][0]["volumeMounts"]
    svc = files["dev/vectors/service-vectors.yaml"]["spec"]
    assert svc["clusterIP"] == "None" and svc["publishNotReadyAddresses"] is True
    assert files["dev/vectors/poddisruptionbudget-vectors.yaml"]["spec"]["maxUnavailable"] == 1
    assert not any("persistentvolumeclaim" in p for p in files), "no standalone claims for a StatefulSet"


def test_model_server_profile_probes_deadline_gpu_weights_and_pdb():
    server = ModelServer(name="detector", image="ghcr.io/acme/yolo:8.3.0", ports=[Port(name="http", port=8000)],
                         resources=Resources(cpu="2", memory="8Gi", gpu=1), model_load_seconds=900,
                         weights=Weights.download(image="ghcr.io/acme/fetch:1.0", command=["fetch", "/models"],
                                                  env={"HF_TOKEN": FromSecret(name="hf", key="token",
                                                                              provider="ExternalSecret")}),
                         autoscaling=Autoscaling(min_replicas=1, max_replicas=4, cpu_percent=None,
                                                 metrics=[Metric.pods("inference_requests_in_flight", average_value=4)]))
    files, result = synth(server, cluster="gke", settings={"secretStore": SecretStoreRef("ClusterSecretStore", "vault")})
    assert_snapshot("model-server", result)
    deploy = files["dev/detector/deployment-detector.yaml"]
    assert deploy["metadata"]["annotations"] == {"gitops.dev/secret-sources": "ExternalSecret/hf"}
    spec = deploy["spec"]
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    # The download (300 s by default), 90 startup checks x 10 s, one readiness period, the margin.
    assert spec["progressDeadlineSeconds"] == 300 + 900 + 5 + 120
    pod = pod_of(deploy)
    main = pod["containers"][0]
    assert main["startupProbe"] == {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10,
                                    "failureThreshold": 90, "timeoutSeconds": 5, "successThreshold": 1}
    assert main["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert "initialDelaySeconds" not in main["readinessProbe"]
    # a GPU-busy server answers slowly: readiness takes it out after 15 s, liveness restarts after 2 min
    ready, live = main["readinessProbe"], main["livenessProbe"]
    assert (ready["timeoutSeconds"], ready["periodSeconds"], ready["failureThreshold"]) == (5, 5, 3)
    assert (live["timeoutSeconds"], live["periodSeconds"], live["failureThreshold"]) == (10, 20, 6)
    # leave the endpoints first, then drain the requests in flight
    assert main["lifecycle"] == {"preStop": {"sleep": {"seconds": 10}}}
    assert pod["terminationGracePeriodSeconds"] == 10 + 30
    assert main["resources"]["limits"]["nvidia.com/gpu"] == main["resources"]["requests"]["nvidia.com/gpu"] == "1"
    assert {"name": "model-weights", "mountPath": "/models", "readOnly": True} in main["volumeMounts"]
    fetch = pod["initContainers"][0]
    assert fetch["name"] == "fetch-weights" and fetch["command"] == ["fetch", "/models"]
    assert "nvidia.com/gpu" not in fetch["resources"]["limits"], "the download never holds the GPU"
    assert {"name": "model-weights", "emptyDir": {"sizeLimit": "20Gi"}} in pod["volumes"]
    # GKE: any accelerator node (affinity Exists) and the nvidia.com/gpu=present taint.
    assert pod["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "present",
                                   "effect": "NoSchedule"}]
    assert pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "cloud.google.com/gke-accelerator", "operator": "Exists"}]}]}
    assert files["dev/detector/poddisruptionbudget-detector.yaml"]["spec"]["maxUnavailable"] == 1
    assert "replicas" not in spec


def test_model_server_weights_from_a_claim_and_explicit_probes_win():
    server = ModelServer(name="llm", image="vllm/vllm-openai:v0.6.3", ports=[Port(name="http", port=8000)],
                         weights=Weights.from_pvc("llm-weights", sub_path="llama-3-8b"),
                         startup=Probe.http("/health", period_seconds=15, failure_threshold=10))
    files, _ = synth(server)
    pod = pod_of(files["dev/llm/deployment-llm.yaml"])
    assert {"name": "model-weights", "persistentVolumeClaim": {"claimName": "llm-weights", "readOnly": True}} in pod["volumes"]
    assert {"name": "model-weights", "mountPath": "/models", "readOnly": True,
            "subPath": "llama-3-8b"} in pod["containers"][0]["volumeMounts"]
    assert pod["containers"][0]["startupProbe"]["httpGet"]["path"] == "/health"
    assert "initContainers" not in pod


def test_job_fields_and_owned_claims():
    job = Job(name="reindex", image="ghcr.io/acme/reindex:2.0", resources=Resources(cpu="1", memory="1Gi"),
              completion_mode="Indexed", completions=8, parallelism=4, backoff_limit=1,
              active_deadline_seconds=1800, ttl_seconds_after_finished=600, restart_policy="OnFailure",
              volumes=[Volume.pvc("work", "/work", size="10Gi", storage_class="fast"),
                       Volume.ephemeral("scratch", "/scratch", size="100Gi"),
                       Volume.nfs("data", "/data", server="nfs.example.com", export="/exports/data", read_only=True),
                       Volume.secret("creds", "/creds", secret="reindex-creds", provider="SealedSecret")])
    files, result = synth(job, cluster="eks")
    assert_snapshot("job", result)
    spec = files["dev/reindex/job-reindex.yaml"]["spec"]
    assert {k: spec[k] for k in ("backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "parallelism",
                                 "completions", "completionMode")} == {
        "backoffLimit": 1, "activeDeadlineSeconds": 1800, "ttlSecondsAfterFinished": 600, "parallelism": 4,
        "completions": 8, "completionMode": "Indexed"}
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "OnFailure"
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["work"] == {"name": "work", "persistentVolumeClaim": {"claimName": "work"}}
    assert volumes["scratch"]["ephemeral"]["volumeClaimTemplate"]["spec"] == {
        "accessModes": ["ReadWriteOnce"], "storageClassName": "gp2", "resources": {"requests": {"storage": "100Gi"}}}
    # NFS through a PersistentVolume and its claim: the restricted Pod Security level refuses inline nfs
    assert volumes["data"] == {"name": "data", "persistentVolumeClaim": {"claimName": "data", "readOnly": True}}
    pv = files["dev/reindex/persistentvolume-reindex-dev-data.yaml"]["spec"]
    assert pv["nfs"] == {"server": "nfs.example.com", "path": "/exports/data", "readOnly": True}
    assert (pv["storageClassName"], pv["persistentVolumeReclaimPolicy"], pv["accessModes"]) == ("", "Retain",
                                                                                                ["ReadOnlyMany"])
    assert pv["claimRef"] == {"name": "data", "namespace": "reindex-dev"}
    nfs_claim = files["dev/reindex/persistentvolumeclaim-data.yaml"]["spec"]
    assert (nfs_claim["volumeName"], nfs_claim["storageClassName"]) == ("reindex-dev-data", "")
    assert volumes["creds"]["secret"] == {"secretName": "reindex-creds"}
    claim = files["dev/reindex/persistentvolumeclaim-work.yaml"]
    assert claim["spec"] == {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast",
                             "resources": {"requests": {"storage": "10Gi"}}}
    assert files["dev/reindex/job-reindex.yaml"]["metadata"]["annotations"] == {
        "argocd.argoproj.io/sync-options": "Force=true,Replace=true", "kustomize.toolkit.fluxcd.io/force": "enabled",
        "gitops.dev/secret-sources": "SealedSecret/reindex-creds"}
    # claims outlive prune and cascade delete, and so does the namespace that holds them
    keep = {"argocd.argoproj.io/sync-options": "Delete=false,Prune=false", "kustomize.toolkit.fluxcd.io/prune": "disabled"}
    assert claim["metadata"]["annotations"] == keep
    assert files["dev/reindex/namespace-reindex-dev.yaml"]["metadata"]["annotations"] == keep
    assert "podFailurePolicy" not in spec  # restartPolicy OnFailure allows none


def test_cronjob_fields():
    cron = CronJob(name="nightly-eval", image="ghcr.io/acme/eval:1.0", schedule="30 2 * * *",
                   time_zone="Europe/Paris", resources=Resources(cpu="1", memory="1Gi"))
    files, result = synth(dataclasses.replace(cron, annotations={"owner": "ml-platform"}))
    assert_snapshot("cronjob", result)
    assert files["dev/nightly-eval/cronjob-nightly-eval.yaml"]["metadata"]["annotations"] == {"owner": "ml-platform"}
    spec = files["dev/nightly-eval/cronjob-nightly-eval.yaml"]["spec"]
    assert {k: v for k, v in spec.items() if k != "jobTemplate"} == {
        "schedule": "30 2 * * *", "timeZone": "Europe/Paris", "concurrencyPolicy": "Forbid",
        "startingDeadlineSeconds": 600, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 3}
    job = spec["jobTemplate"]["spec"]
    assert job["activeDeadlineSeconds"] == 3600 and job["ttlSecondsAfterFinished"] == 86400
    assert job["backoffLimit"] == 2 and job["template"]["spec"]["restartPolicy"] == "Never"
    assert spec["jobTemplate"]["metadata"]["labels"]["app.kubernetes.io/component"] == "batch"


def _training(**kw):
    base = dict(name="train", image="ghcr.io/acme/train:1.0", nodes=2, gpus_per_node=4,
                resources=Resources(cpu="16", memory="64Gi"), shm_size="16Gi",
                volumes=[Volume.pvc("datasets", "/data", size="1Ti", access_modes=["ReadWriteMany"])])
    return TrainingJob(**{**base, **kw})


def test_training_job_is_an_indexed_job_with_a_headless_service_and_torchrun_env():
    files, result = synth(_training(), cluster="eks")
    assert_snapshot("training-job", result)
    job = files["dev/train/job-train.yaml"]["spec"]
    assert (job["completionMode"], job["completions"], job["parallelism"]) == ("Indexed", 2, 2)
    # a disruption is ignored; it makes the other node fail once, which the limit allows
    assert job["backoffLimit"] == 1 and "ttlSecondsAfterFinished" not in job
    assert job["podFailurePolicy"] == {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "DisruptionTarget", "status": "True"}]}]}
    pod = job["template"]["spec"]
    assert pod["subdomain"] == "train" and pod["restartPolicy"] == "Never"
    env = {e["name"]: e.get("value", e.get("valueFrom")) for e in pod["containers"][0]["env"]}
    assert env["MASTER_ADDR"] == env["PET_MASTER_ADDR"] == "train-0.train.train-dev.svc"
    assert env["MASTER_PORT"] == "29500" and env["NNODES"] == "2" and env["NPROC_PER_NODE"] == "4"
    assert env["WORLD_SIZE"] == "8"
    index = {"fieldRef": {"fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}
    assert env["NODE_RANK"] == env["PET_NODE_RANK"] == index
    limits = pod["containers"][0]["resources"]["limits"]
    assert limits["nvidia.com/gpu"] == "4" and pod["containers"][0]["resources"]["requests"]["nvidia.com/gpu"] == "4"
    assert pod["nodeSelector"] == {"eks.amazonaws.com/instance-gpu-manufacturer": "nvidia"}
    assert pod["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    assert {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "16Gi"}} in pod["volumes"]
    assert {"name": "dshm", "mountPath": "/dev/shm"} in pod["containers"][0]["volumeMounts"]
    svc = files["dev/train/service-train.yaml"]["spec"]
    assert svc == {"type": "ClusterIP", "clusterIP": "None", "publishNotReadyAddresses": True,
                   "selector": SELECTOR("train"),
                   "ports": [{"name": "rendezvous", "port": 29500, "protocol": "TCP", "targetPort": 29500}]}
    claim = files["dev/train/persistentvolumeclaim-datasets.yaml"]["spec"]
    # EKS creates no shared-storage class: the built-in profile names none (declare efs-sc in gitops.yaml)
    assert claim["accessModes"] == ["ReadWriteMany"] and "storageClassName" not in claim


def test_training_job_as_kubeflow_trainjob():
    files, result = synth(_training(output="kubeflow", runtime="torch-distributed"), cluster="gke")
    assert_snapshot("training-job-kubeflow", result)
    assert not any(p.startswith("dev/train/job-") or p.startswith("dev/train/service-") for p in files)
    tj = files["dev/train/trainjob-train.yaml"]
    assert tj["apiVersion"] == "trainer.kubeflow.org/v1alpha1" and tj["kind"] == "TrainJob"
    spec = tj["spec"]
    assert spec["runtimeRef"] == {"apiGroup": "trainer.kubeflow.org", "kind": "ClusterTrainingRuntime",
                                  "name": "torch-distributed"}
    trainer = spec["trainer"]
    assert (trainer["numNodes"], trainer["numProcPerNode"], trainer["image"]) == (2, 4, "ghcr.io/acme/train:1.0")
    assert trainer["resourcesPerNode"]["limits"]["nvidia.com/gpu"] == "4"
    # the current Trainer API: runtimePatches (by manager) and a TrainJob-level deadline
    assert "podSpecOverrides" not in spec and spec["activeDeadlineSeconds"] == 172800
    patch = spec["runtimePatches"][0]
    assert patch["manager"] == "gitops.dev/gitops"
    replicated = patch["trainingRuntimeSpec"]["template"]["spec"]["replicatedJobs"]
    assert [r["name"] for r in replicated] == ["node"]
    override = replicated[0]["template"]["spec"]["template"]["spec"]
    assert override["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "present",
                                        "effect": "NoSchedule"}]
    assert {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "16Gi"}} in override["volumes"]
    assert {"name": "dshm", "mountPath": "/dev/shm"} in override["containers"][0]["volumeMounts"]


def test_scheduling_from_the_spec_merges_with_gpu_placement():
    sched = Scheduling(node_selector={"pool": "inference"}, node_affinity={"topology.kubernetes.io/zone": ["a", "b"]},
                       prefer_nodes={"cloud.google.com/gke-spot": "true"}, anti_affinity="required",
                       colocate_with=("cache",), spread=("topology.kubernetes.io/zone",),
                       tolerations=[Toleration(key="dedicated", value="ml")], priority_class="ml-high")
    server = Service(name="s", image="s:1", ports=[80], replicas=2, scheduling=sched,
                     resources=Resources(cpu="1", memory="1Gi", gpu=2))
    files, _ = synth(server, cluster="eks")
    pod = pod_of(files["dev/s/deployment-s.yaml"])
    assert pod["nodeSelector"] == {"eks.amazonaws.com/instance-gpu-manufacturer": "nvidia", "pool": "inference"}
    assert pod["priorityClassName"] == "ml-high"
    assert pod["tolerations"] == [{"key": "dedicated", "operator": "Equal", "value": "ml", "effect": "NoSchedule"},
                                  {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    node = pod["affinity"]["nodeAffinity"]
    assert node["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"] == [
        {"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["a", "b"]}]}]
    assert node["preferredDuringSchedulingIgnoredDuringExecution"][0]["preference"]["matchExpressions"] == [
        {"key": "cloud.google.com/gke-spot", "operator": "In", "values": ["true"]}]
    anti = pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert anti == [{"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": SELECTOR("s")}}]
    assert pod["affinity"]["podAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0][
        "podAffinityTerm"]["labelSelector"] == {"matchLabels": SELECTOR("cache")}
    assert [c["topologyKey"] for c in pod["topologySpreadConstraints"]] == ["topology.kubernetes.io/zone"]


def test_same_spec_on_two_cluster_profiles_differs_only_in_placement_storage_and_ingress():
    from gitops import Ingress
    app = Service(name="s", image="s:1", ports=[80], resources=Resources(cpu="1", memory="1Gi", gpu=1),
                  ingress=Ingress(host="s.example.com"), volumes=[Volume.pvc("cache", "/cache", size="5Gi")])
    gke, _ = synth(app, cluster="gke")
    eks, _ = synth(app, cluster="eks")
    assert gke["dev/s/ingress-s.yaml"]["spec"]["ingressClassName"] == "gce"
    assert "ingressClassName" not in eks["dev/s/ingress-s.yaml"]["spec"]  # no ingress controller until one is installed
    assert gke["dev/s/persistentvolumeclaim-cache.yaml"]["spec"]["storageClassName"] == "standard-rwo"
    assert eks["dev/s/persistentvolumeclaim-cache.yaml"]["spec"]["storageClassName"] == "gp2"
    gpod, epod = pod_of(gke["dev/s/deployment-s.yaml"]), pod_of(eks["dev/s/deployment-s.yaml"])
    assert "nodeSelector" not in gpod and epod["nodeSelector"] == {"eks.amazonaws.com/instance-gpu-manufacturer": "nvidia"}
    strip = lambda pod: {k: v for k, v in pod.items() if k not in ("nodeSelector", "affinity", "tolerations")}  # noqa: E731
    assert strip(gpod) == strip(epod)


@pytest.mark.parametrize("kind", [Service, Worker, ModelServer, StatefulService, Job, CronJob, TrainingJob])
def test_every_kind_keeps_the_restricted_pod_security_defaults(kind):
    extra = {Service: dict(ports=[80]), Worker: {}, ModelServer: dict(ports=[8000]),
             StatefulService: dict(ports=[5432], volumes=[Volume.pvc("d", "/d", size="1Gi")]), Job: {},
             CronJob: dict(schedule="@daily"),
             TrainingJob: dict(nodes=2, gpus_per_node=1, resources=Resources(cpu="1", memory="16Gi"))}[kind]
    files, _ = synth(kind(name="k", image="k:1", **extra))
    workloads = [o for p, o in files.items() if o.get("kind") in ("Deployment", "StatefulSet", "Job", "CronJob")]
    assert len(workloads) == 1
    pod = pod_of(workloads[0])
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["automountServiceAccountToken"] is False
    sc = pod["containers"][0]["securityContext"]
    assert sc["readOnlyRootFilesystem"] is True and sc["capabilities"] == {"drop": ["ALL"]}


def test_environment_overrides_work_for_every_field_of_a_kind():
    job = _training(environments={"dev": {"nodes": 1, "gpus_per_node": 1, "shm_size": "4Gi"}})
    dev = job.for_environment("dev")
    assert (dev.nodes, dev.gpus_per_node, dev.shm_size, type(dev)) == (1, 1, "4Gi", TrainingJob)
    assert dataclasses.replace(job, output="kubeflow").output == "kubeflow"
