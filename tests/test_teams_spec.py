"""What real teams reach for (issue 17 items 1-4, issue 16 item 6): escape hatches, placement per
app, the missing pod fields, secrets from a store, cloud identity, weights from object storage."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops import (CloudIdentity, CronJob, FromSecret, Job, ModelServer, Patch, PodFailureRule, Port, Resources,
                    Scheduling, Service, TrainingJob, Volume, Weights, Worker, typed_chart)
from gitops.errors import InputError, SpecError
from gitops.manifests.resource import Origin, Resource
from gitops.schema.validator import Options, Validator
from gitops.synth.secrets import SecretStoreRef
from tests.conftest import make_project, run_cli
from tests.workload_helpers import synth

STORE = {"secretStore": SecretStoreRef("ClusterSecretStore", "vault")}


def web(**kw) -> Service:
    return Service(name="web", image="ghcr.io/acme/web:1.0.0", ports=[Port(name="http", port=8080)],
                   resources=Resources(cpu="100m", memory="128Mi"), **kw)


# --- escape hatches ----------------------------------------------------------------------------

def test_patches_apply_in_order_and_reach_lists_with_rfc6902_pointers() -> None:
    files, _ = synth(web(patches=[
        Patch.add("Deployment/web", "/spec/template/spec/hostAliases",
                  [{"ip": "10.0.0.1", "hostnames": ["db.local"]}]),
        Patch.add("Deployment", "/spec/template/spec/containers/0/args", ["--fast"]),
        Patch.copy("Deployment/web", "/spec/template/spec/containers/0/args", "/spec/template/spec/containers/0/command"),
        Patch.remove("Deployment/web", "/spec/template/spec/containers/0/command/0"),
        Patch.test("Service/web", "/spec/type", "ClusterIP"),
        Patch.replace("Service/web", "/spec/ports/0/port", 80),
    ]))
    pod = files["dev/web/deployment-web.yaml"]["spec"]["template"]["spec"]
    assert pod["hostAliases"] == [{"ip": "10.0.0.1", "hostnames": ["db.local"]}]
    assert pod["containers"][0]["args"] == ["--fast"] and pod["containers"][0]["command"] == []
    assert files["dev/web/service-web.yaml"]["spec"]["ports"][0]["port"] == 80


@pytest.mark.parametrize("patch, message", [
    (Patch.add("Deployment/wbe", "/spec/paused", True),
     "Patch.add('Deployment/wbe', '/spec/paused') matches no object the app makes here (ConfigMap"),
    (Patch.replace("Deployment/web", "/spec/nothere", 1), "on Deployment/web: /spec/nothere does not exist"),
    (Patch.test("Service/web", "/spec/type", "NodePort"), "test failed: /spec/type is 'ClusterIP', not 'NodePort'"),
    (Patch.add("Deployment/web", "/spec/template/spec/containers/5", {}), "index 5 is out of range"),
])
def test_a_patch_that_cannot_apply_is_an_input_error_at_the_spec_line(patch, message) -> None:
    with pytest.raises(InputError) as caught:
        synth(web(config={"A": "1"}, patches=[patch]))
    text = str(caught.value)
    assert text.startswith("apps/x.py:7: app 'web', environment 'dev': ") and message in text, text


def test_patch_and_extra_object_mistakes_are_spec_errors_with_the_field() -> None:
    with pytest.raises(SpecError, match=r"Patch.target: got 'deployment/web'; the kind is a Kubernetes kind"):
        Patch.add("deployment/web", "/spec", 1)
    with pytest.raises(SpecError, match=r"Patch.path: got 'spec/replicas'; expected a JSON pointer"):
        Patch.replace("Deployment/web", "spec/replicas", 2)
    with pytest.raises(SpecError, match=r"extra_objects\[0\]: ConfigMap: the object has no metadata.name"):
        web(extra_objects=[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}])
    with pytest.raises(SpecError, match=r"extra_objects\[1\]: ConfigMap/a is listed twice"):
        cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
        web(extra_objects=[cm, cm])
    with pytest.raises(SpecError, match=r"labels_for\['pod'\]: app.kubernetes.io/name selects the app's pods"):
        web(labels_for={"pod": {"app.kubernetes.io/name": "other"}})
    with pytest.raises(SpecError, match=r"labels_for: got key 'service'; expected 'pod'"):
        web(labels_for={"service": {"a": "b"}})


def test_typed_cdk8s_objects_become_plain_extra_objects_and_metadata_reaches_each_kind() -> None:
    chart, k8s = typed_chart()
    quota = k8s.KubeResourceQuota(chart, "quota", metadata=k8s.ObjectMeta(name="web-quota"),
                                  spec=k8s.ResourceQuotaSpec(hard={"pods": k8s.Quantity.from_string("10")}))
    app = web(extra_objects=[quota], replicas=3,
              labels_for={"pod": {"sidecar.istio.io/inject": "false"}, "Service": {"expose": "internal"}},
              annotations_for={"PodDisruptionBudget": {"note": "a"}, "ServiceAccount": {"x.example/a": "1"}},
              environments={"prod": {"annotations_for": {"ServiceAccount": {"x.example/b": "2"}}}})
    files, _ = synth(app, envs=("dev", "prod"))
    quota_obj = files["prod/web/resourcequota-web-quota.yaml"]
    assert quota_obj["spec"] == {"hard": {"pods": "10"}} and quota_obj["metadata"]["namespace"] == "web-prod"
    template = files["prod/web/deployment-web.yaml"]["spec"]["template"]["metadata"]
    assert template["labels"]["sidecar.istio.io/inject"] == "false"
    assert files["prod/web/service-web.yaml"]["metadata"]["labels"]["expose"] == "internal"
    assert files["prod/web/poddisruptionbudget-web.yaml"]["metadata"]["annotations"]["note"] == "a"
    # per environment, merged key by key into the base
    assert files["prod/web/serviceaccount-web.yaml"]["metadata"]["annotations"] == {"x.example/a": "1", "x.example/b": "2"}
    assert files["dev/web/serviceaccount-web.yaml"]["metadata"]["annotations"] == {"x.example/a": "1"}


def test_what_check_would_refuse_in_an_extra_or_patched_object_fails_synth_at_the_spec_line(tmp_path: Path) -> None:
    spec = """\
        from gitops import App, Patch, Port, Probe, Resources
        web = App(name="web", image="w:1.0.0", ports=[Port(name="http", port=8080)],
                  resources=Resources(cpu="100m", memory="128Mi"), readiness=Probe.http("/ready"),
                  extra_objects=[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},
                                  "data": {"a": 1}}],
                  patches=[Patch.add("Deployment/web", "/spec/template/spec/hostNetwrk", True)])
        """
    root = make_project(tmp_path / "p", {"web.py": spec})
    result = run_cli(["synth"], root)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("apps/web.py:2: app 'web', environment 'dev': an extra or patched object would "
                                    "be refused: "), result.output
    assert "ConfigMap/x: data.a:" in result.output and "Deployment/web: spec.template.spec.hostNetwrk:" in result.output
    assert not (root / "generated").exists()


# --- placement per app -----------------------------------------------------------------------------

def test_an_app_picks_its_cluster_profile_and_skips_an_environment() -> None:
    trainer = TrainingJob(name="trainer", image="ghcr.io/acme/train:1.0.0", nodes=2, gpus_per_node=8,
                          resources=Resources(cpu="90", memory="900Gi"), cluster="eks",
                          environments={"dev": {"enabled": False}})
    files, _ = synth(trainer, envs=("dev", "prod"), cluster="gke")
    assert not any(path.startswith("dev/") for path in files)
    pod = files["prod/trainer/job-trainer.yaml"]["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"eks.amazonaws.com/instance-gpu-manufacturer": "nvidia"}


def test_an_unknown_profile_and_a_contradicting_gpu_selector_are_errors() -> None:
    with pytest.raises(InputError, match=r"apps/x.py:7: app 'web': cluster: got 'ekss'; expected one of eks, generic"):
        synth(web(cluster="ekss"))
    gpu = ModelServer(name="llm", image="ghcr.io/acme/llm:1.0.0", ports=[Port(name="http", port=8000)],
                      resources=Resources(cpu="8", memory="64Gi", gpu=1),
                      scheduling=Scheduling(node_selector={"cloud.google.com/gke-accelerator": "nvidia-h100-80gb"}))
    files, _ = synth(gpu, cluster="gke")  # gke selects any accelerator: narrowing it is fine
    assert files["dev/llm/deployment-llm.yaml"]["spec"]["template"]["spec"]["nodeSelector"] == {
        "cloud.google.com/gke-accelerator": "nvidia-h100-80gb"}
    clash = ModelServer(name="llm", image="ghcr.io/acme/llm:1.0.0", ports=[Port(name="http", port=8000)],
                        resources=Resources(cpu="8", memory="64Gi", gpu=1),
                        scheduling=Scheduling(node_selector={"nvidia.com/gpu.present": "false"}))
    with pytest.raises(InputError) as caught:
        synth(clash, cluster="generic")
    assert str(caught.value).startswith("apps/x.py:7: app 'llm', environment 'dev': scheduling.node_selector"
                                        "['nvidia.com/gpu.present']: got 'false', but GPU nodes of cluster profile "
                                        "'generic' carry nvidia.com/gpu.present=true")


# --- pod fields ----------------------------------------------------------------------------------

def test_shutdown_capabilities_storage_and_extended_resources() -> None:
    app = Worker(name="efa", image="ghcr.io/acme/w:1.0.0", pre_stop=["/bin/drain", "--wait"],
                 termination_grace_seconds=120, capabilities=["IPC_LOCK"], tmp_size="2Gi",
                 fs_group_change_policy="OnRootMismatch",
                 volumes=[Volume.empty_dir("scratch", "/scratch", size_limit="10Gi")],
                 resources=Resources(cpu="4", memory="8Gi", ephemeral_storage="1Gi",
                                     extended={"vpc.amazonaws.com/efa": 4, "nvidia.com/mig-1g.10gb": 1}))
    files, _ = synth(app)
    pod = files["dev/efa/deployment-efa.yaml"]["spec"]["template"]["spec"]
    main = pod["containers"][0]
    assert main["lifecycle"] == {"preStop": {"exec": {"command": ["/bin/drain", "--wait"]}}}
    assert pod["terminationGracePeriodSeconds"] == 120
    assert main["securityContext"]["capabilities"] == {"add": ["IPC_LOCK"], "drop": ["ALL"]}
    assert pod["securityContext"]["fsGroupChangePolicy"] == "OnRootMismatch"
    assert {"name": "tmp", "emptyDir": {"sizeLimit": "2Gi"}} in pod["volumes"]
    # the container's own 1Gi + /tmp 2Gi + scratch 10Gi
    assert main["resources"]["requests"]["ephemeral-storage"] == "13Gi"
    for key in ("requests", "limits"):
        assert main["resources"][key]["vpc.amazonaws.com/efa"] == "4"
        assert main["resources"][key]["nvidia.com/mig-1g.10gb"] == "1"
    # IPC_LOCK is beyond the baseline level: the namespace admits privileged pods, and says so
    labels = files["dev/efa/namespace-efa-dev.yaml"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "privileged"


@pytest.mark.parametrize("kw, message", [
    (dict(pre_stop=30, termination_grace_seconds=20), "termination_grace_seconds: got 20; it must exceed the "
                                                      "pre_stop sleep (30 s)"),
    (dict(capabilities=["CAP_NET_ADMIN"]), "capabilities: got ['CAP_NET_ADMIN']; expected Linux capability names"),
    (dict(capabilities=["SYS_ADMIN"]), "capabilities: ALL and SYS_ADMIN amount to a privileged container"),
    (dict(fs_group_change_policy="Sometimes"), "fs_group_change_policy: got 'Sometimes'"),
    (dict(tmp_size="lots"), "tmp_size: got 'lots'"),
    (dict(service_account="build-bot", identity=CloudIdentity(aws_role_arn="arn:aws:iam::123456789012:role/x")),
     "identity: the cloud-identity annotations belong on the existing ServiceAccount 'build-bot'"),
])
def test_pod_field_mistakes_name_the_field(kw, message) -> None:
    with pytest.raises(SpecError) as caught:
        web(**kw)
    assert message in str(caught.value), str(caught.value)


def test_model_server_shutdown_init_resources_and_downloaded_weights_on_disk() -> None:
    server = ModelServer(name="llm", image="ghcr.io/acme/llm:1.0.0", ports=[Port(name="http", port=8000)],
                         resources=Resources(cpu="8", memory="64Gi", gpu=1), pre_stop=20, drain_seconds=60,
                         weights=Weights.download(image="ghcr.io/acme/fetch:1.0.0", command=["fetch"], size="100Gi",
                                                  resources=Resources(cpu="2", memory="4Gi")))
    files, _ = synth(server)
    pod = files["dev/llm/deployment-llm.yaml"]["spec"]["template"]["spec"]
    assert pod["containers"][0]["lifecycle"] == {"preStop": {"sleep": {"seconds": 20}}}
    assert pod["terminationGracePeriodSeconds"] == 80
    assert pod["initContainers"][0]["resources"] == {"limits": {"memory": "4Gi"}, "requests": {"cpu": "2", "memory": "4Gi"}}
    assert pod["containers"][0]["resources"]["requests"]["ephemeral-storage"] == "102656Mi"  # 100Gi + 256Mi


def test_job_failure_rules_and_replacement_policy() -> None:
    job = Job(name="etl", image="ghcr.io/acme/etl:1.0.0", pod_replacement_policy="Failed",
              pod_failure_rules=[PodFailureRule.exit_codes("FailJob", [42, 3], container="etl")])
    spec = synth(job)[0]["dev/etl/job-etl.yaml"]["spec"]
    assert spec["podReplacementPolicy"] == "Failed"
    assert spec["podFailurePolicy"]["rules"] == [
        {"action": "FailJob", "onExitCodes": {"containerName": "etl", "operator": "In", "values": [3, 42]}},
        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]
    with pytest.raises(SpecError, match="FailIndex needs backoff_limit_per_index"):
        Job(name="etl", image="e:1", pod_failure_rules=[PodFailureRule.exit_codes("FailIndex", [1])])
    with pytest.raises(SpecError, match="TerminatingOrFailed is refused beside a pod failure policy"):
        Job(name="etl", image="e:1", pod_replacement_policy="TerminatingOrFailed")


def test_what_check_refuses_in_a_cronjob_fails_at_synth_with_the_spec_line(tmp_path: Path) -> None:
    spec = """\
        from gitops import CronJob
        nightly = CronJob(name="nightly", image="n:1.0.0",
                          schedule="0 2 * * *", time_zone="Europe/Pariss")
        """
    root = make_project(tmp_path / "p", {"nightly.py": spec})
    result = run_cli(["synth"], root)
    assert result.exit_code == 2
    assert result.output.startswith("apps/nightly.py:2: app 'nightly': time_zone: got 'Europe/Pariss'; not a time "
                                    "zone of the tz database"), result.output
    with pytest.raises(SpecError, match=r"schedule: got '0 2 \* \* 8': end of range \(8\) above maximum \(6\)"):
        CronJob(name="n", image="n:1", schedule="0 2 * * 8")


# --- secrets and identity ----------------------------------------------------------------------------

def test_external_secrets_per_secret_from_the_environments_store() -> None:
    app = web(env={"DB_URL": FromSecret(name="db", key="url", provider="ExternalSecret"),
                   "DB_USER": FromSecret(name="db", key="user", provider="ExternalSecret",
                                         remote_key="prod/db", remote_property="username"),
                   "PLAIN": FromSecret(name="existing", key="k")},
              volumes=[Volume.secret("tls", "/tls", provider="ExternalSecret")])
    files, _ = synth(app, settings=STORE)
    db = files["dev/web/externalsecret-db.yaml"]
    assert db["spec"]["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "vault"}
    assert db["spec"]["data"] == [{"secretKey": "url", "remoteRef": {"key": "db", "property": "url"}},
                                  {"secretKey": "user", "remoteRef": {"key": "prod/db", "property": "username"}}]
    assert files["dev/web/externalsecret-tls.yaml"]["spec"]["dataFrom"] == [{"extract": {"key": "tls"}}]
    assert "dev/web/externalsecret-existing.yaml" not in files
    validator = Validator(Options("1.33", strict=True, locate_lines=False))  # the bundled compact CRD schema
    for name in ("db", "tls"):
        outcome = validator.validate(Resource(files[f"dev/web/externalsecret-{name}.yaml"], Origin(file="")))
        assert outcome.findings == [] and validator.store.lookup("external-secrets.io/v1", "ExternalSecret")
    with pytest.raises(InputError, match="environment 'dev' names no secret store"):
        synth(app)


@pytest.mark.parametrize("profile, expected", [
    ("gke", {"iam.gke.io/gcp-service-account": "web-server@acme-prod.iam.gserviceaccount.com"}),
    ("eks", {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/web"}),
    ("generic", None),
])
def test_cloud_identity_follows_the_cluster_profile(profile, expected) -> None:
    app = web(identity=CloudIdentity(gcp_service_account="web-server@acme-prod.iam.gserviceaccount.com",
                                     aws_role_arn="arn:aws:iam::123456789012:role/web"))
    files, _ = synth(app, cluster=profile)
    assert files["dev/web/serviceaccount-web.yaml"]["metadata"].get("annotations") == expected


def test_an_identity_the_profile_cannot_bind_and_an_existing_account() -> None:
    with pytest.raises(InputError, match="identity.gcp_service_account is needed in environment 'dev': its cluster "
                                         "profile 'gke' binds pods to the cloud through gke-workload-identity"):
        synth(web(identity=CloudIdentity(aws_role_arn="arn:aws:iam::123456789012:role/web")), cluster="gke")
    files, _ = synth(web(service_account="shared-runner"))
    assert "dev/web/serviceaccount-web.yaml" not in files
    assert files["dev/web/deployment-web.yaml"]["spec"]["template"]["spec"]["serviceAccountName"] == "shared-runner"


def test_weights_mounted_from_gcs_and_s3_buckets() -> None:
    def server(weights: Weights) -> ModelServer:
        return ModelServer(name="llm", image="ghcr.io/acme/llm:1.0.0", ports=[Port(name="http", port=8000)],
                           resources=Resources(cpu="8", memory="64Gi", gpu=1), weights=weights)

    files, _ = synth(server(Weights.gcs(bucket="acme-models", path="llama/8b")), cluster="gke")
    template = files["dev/llm/deployment-llm.yaml"]["spec"]["template"]
    assert template["metadata"]["annotations"] == {"gke-gcsfuse/volumes": "true"}
    volume = next(v for v in template["spec"]["volumes"] if v["name"] == "model-weights")
    assert volume["csi"] == {"driver": "gcsfuse.csi.storage.gke.io", "readOnly": True, "volumeAttributes": {
        "bucketName": "acme-models", "mountOptions": "implicit-dirs,uid=10001,gid=10001,only-dir=llama/8b"}}
    assert "initContainers" not in template["spec"]

    files, _ = synth(server(Weights.s3(bucket="acme-models", path="llama/8b", region="us-east-1")), cluster="eks")
    pv = files["dev/llm/persistentvolume-llm-dev-model-weights.yaml"]
    assert pv["spec"]["csi"] == {"driver": "s3.csi.aws.com", "readOnly": True, "volumeHandle": "llm-dev-model-weights",
                                 "volumeAttributes": {"bucketName": "acme-models"}}
    assert pv["spec"]["mountOptions"] == ["read-only", "allow-other", "uid=10001", "gid=10001", "prefix llama/8b/",
                                          "region us-east-1"]
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    claim = files["dev/llm/persistentvolumeclaim-model-weights.yaml"]
    assert claim["spec"]["volumeName"] == "llm-dev-model-weights" and claim["spec"]["storageClassName"] == ""
    with pytest.raises(SpecError, match="region: got 'us-east'"):
        Weights.s3(bucket="acme-models", region="us-east")


def test_claim_metadata_reaches_a_statefulsets_claim_templates() -> None:
    from gitops import StatefulService

    db = StatefulService(name="db", image="ghcr.io/acme/db:1.0.0", ports=[Port(name="pg", port=5432)],
                         volumes=[Volume.pvc("data", "/data", size="10Gi")],
                         annotations_for={"PersistentVolumeClaim": {"backup.velero.io/backup": "true"}})
    sts = synth(db)[0]["dev/db/statefulset-db.yaml"]
    assert sts["spec"]["volumeClaimTemplates"][0]["metadata"]["annotations"]["backup.velero.io/backup"] == "true"
