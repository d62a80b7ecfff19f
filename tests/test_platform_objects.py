"""KEDA, Kueue and JobSet from the spec: what each option produces, what it refuses (with the spec's
file, line and field), and that every object it makes is valid against the official CRDs."""
from __future__ import annotations

import pytest

from gitops import (Autoscaling, EventScaling, FromSecret, Job, Resources, TrainingJob, Trigger, Worker)
from gitops.config import Environment
from gitops.errors import InputError, SpecError
from gitops.synth.kueue_config import parse_kueue
from tests.test_generated_schemas import Validators, errors_of
from tests.workload_helpers import synth

RES = Resources(cpu="500m", memory="1Gi")
RABBIT = Trigger.rabbitmq("orders", host=FromSecret(name="queue-credentials", key="url"))
KUEUE = {"queues": {"training": {"quotas": {"nvidia-l4": {"cpu": 96, "memory": "384Gi", "nvidia.com/gpu": 8},
                                            "default": {"cpu": 16, "memory": "64Gi"}}}},
         "priorities": {"research": 1000}}


def kueue_section(value=None):
    return {"kueue": parse_kueue(value or KUEUE, "gitops.yaml", None)}


def worker(**kw):
    return Worker(name="qw", image="ghcr.io/acme/qw:1.0", resources=RES, **kw)


def training(**kw):
    base = dict(name="tj", image="ghcr.io/acme/train:1.0", nodes=3, gpus_per_node=4, output="jobset",
                resources=Resources(cpu="16", memory="64Gi"))
    return TrainingJob(**{**base, **kw})


@pytest.fixture(scope="module")
def crds(tmp_path_factory) -> Validators:
    from gitops.schema.crd import import_crds
    from tests.conftest import require_shared

    target = tmp_path_factory.mktemp("schemas")
    import_crds([str(require_shared() / "crds")], str(target))
    return Validators(target)


# --- KEDA ---------------------------------------------------------------------------------------

def test_a_worker_on_events_gets_a_scaled_object_and_no_hpa():
    files, _ = synth(worker(event_scaling=EventScaling(triggers=[RABBIT, Trigger.sqs(
        "https://sqs.eu-west-1.amazonaws.com/1/uploads", region="eu-west-1")])), cluster="eks")
    kinds = sorted(obj["kind"] for path, obj in files.items() if not path.endswith("kustomization.yaml"))
    assert "HorizontalPodAutoscaler" not in kinds
    assert kinds.count("TriggerAuthentication") == 2
    scaled = files["dev/qw/scaledobject-qw.yaml"]["spec"]
    assert scaled["minReplicaCount"] == 0 and scaled["scaleTargetRef"] == {"apiVersion": "apps/v1",
                                                                          "kind": "Deployment", "name": "qw"}
    assert [t["authenticationRef"]["name"] for t in scaled["triggers"]] == ["qw-rabbitmq", "qw-aws-sqs-queue"]
    assert "replicas" not in files["dev/qw/deployment-qw.yaml"]["spec"]  # KEDA owns the count
    secret_auth = files["dev/qw/triggerauthentication-qw-rabbitmq.yaml"]["spec"]
    assert secret_auth == {"secretTargetRef": [{"parameter": "host", "name": "queue-credentials", "key": "url"}]}
    identity = files["dev/qw/triggerauthentication-qw-aws-sqs-queue.yaml"]["spec"]
    assert identity == {"podIdentity": {"provider": "aws", "identityOwner": "workload"}}


def test_an_hpa_and_a_scaled_object_together_are_refused_where_written():
    with pytest.raises(SpecError) as err:
        worker(autoscaling=Autoscaling(min_replicas=1, max_replicas=3), event_scaling=EventScaling(triggers=[RABBIT]))
    assert err.value.field == "event_scaling" and err.value.problems[0].file.endswith("test_platform_objects.py")
    # per environment: switching one on means switching the other off
    with pytest.raises(SpecError) as err:
        worker(event_scaling=EventScaling(triggers=[RABBIT]),
               environments={"prod": {"autoscaling": Autoscaling(min_replicas=2, max_replicas=4)}})
    assert "environments['prod']" in str(err.value)
    switched = worker(event_scaling=EventScaling(triggers=[RABBIT]), environments={"prod": {
        "event_scaling": None, "autoscaling": Autoscaling(min_replicas=2, max_replicas=4)}})
    files, _ = synth(switched, envs=("dev", "prod"))
    assert "prod/qw/horizontalpodautoscaler-qw.yaml" in files and "prod/qw/scaledobject-qw.yaml" not in files
    assert "dev/qw/scaledobject-qw.yaml" in files


def test_bad_trigger_values_name_the_part_and_field():
    with pytest.raises(SpecError) as err:
        Trigger.sqs("https://sqs.eu-west-1.amazonaws.com/1/q", region="eu-west-1", messages_per_replica="lots")
    assert err.value.field == "Trigger.metadata['queueLength']" and "messages_per_replica" in str(err.value)
    with pytest.raises(SpecError) as err:
        Trigger(type="rabbitmq", secrets={"host": "amqp://user:pw@rabbit"})
    assert "credentials stay in Secrets" in str(err.value)
    with pytest.raises(SpecError) as err:
        EventScaling(triggers=[RABBIT], min_replicas=4, max_replicas=2)
    assert err.value.field == "EventScaling.max_replicas"


def test_a_batch_consumer_is_a_scaled_job_of_the_same_job():
    job = Job(name="thumbs", image="ghcr.io/acme/thumbs:1.0", resources=RES, active_deadline_seconds=600,
              event_scaling=EventScaling(max_replicas=7, triggers=[Trigger.pubsub("projects/p/subscriptions/s")]))
    files, _ = synth(job, cluster="gke")
    assert "dev/thumbs/job-thumbs.yaml" not in files
    scaled = files["dev/thumbs/scaledjob-thumbs.yaml"]["spec"]
    assert scaled["maxReplicaCount"] == 7 and scaled["jobTargetRef"]["activeDeadlineSeconds"] == 600
    assert scaled["jobTargetRef"]["template"]["spec"]["restartPolicy"] == "Never"
    assert files["dev/thumbs/triggerauthentication-thumbs-gcp-pubsub.yaml"]["spec"] == {"podIdentity": {"provider": "gcp"}}


# --- Kueue --------------------------------------------------------------------------------------

def test_a_queued_job_carries_the_labels_and_its_namespace_gets_a_local_queue():
    job = Job(name="backfill", image="ghcr.io/acme/b:1.0", resources=RES, queue="training", priority="research")
    files, _ = synth(job, envs=("dev", "prod"), cluster="gke", sections=kueue_section())
    labels = files["dev/backfill/job-backfill.yaml"]["metadata"]["labels"]
    assert labels["kueue.x-k8s.io/queue-name"] == "training"
    assert labels["kueue.x-k8s.io/priority-class"] == "research-dev"
    assert files["dev/backfill/localqueue-training.yaml"]["spec"] == {"clusterQueue": "training-dev"}
    assert files["prod/backfill/localqueue-training.yaml"]["spec"] == {"clusterQueue": "training-prod"}
    assert "suspend" not in files["dev/backfill/job-backfill.yaml"]["spec"]  # Kueue's webhook suspends it


def test_the_environment_decides_whether_queued_jobs_start_suspended():
    from gitops.config import Config
    from gitops.spec.loader import LoadedApp
    from gitops.synth.pipeline import synthesize, targets_for

    config = Config(root="/nonexistent", sections=kueue_section(), environments=(
        Environment("dev", settings={"cluster": "gke"}),
        Environment("prod", production=True, settings={"cluster": "gke", "kueue": {"suspend": True}})))
    job = training(queue="training")
    result = synthesize(config, use_cache=False, targets=targets_for(config, [LoadedApp(job, "apps/x.py", 3)]))
    import yaml

    assert "suspend" not in yaml.safe_load(result.files["dev/tj/jobset-tj.yaml"])["spec"]
    assert yaml.safe_load(result.files["prod/tj/jobset-tj.yaml"])["spec"]["suspend"] is True


def test_an_undeclared_queue_or_priority_is_a_spec_error_naming_the_file_and_line():
    with pytest.raises(SpecError) as err:
        synth(Job(name="b", image="ghcr.io/acme/b:1.0", queue="gpu"), sections=kueue_section())
    assert (err.value.problems[0].file, err.value.problems[0].line, err.value.field) == ("apps/x.py", 7, "queue")
    assert "training" in str(err.value)
    with pytest.raises(SpecError) as err:
        synth(Job(name="b", image="ghcr.io/acme/b:1.0", priority="urgent"), sections=kueue_section())
    assert err.value.field == "priority" and "research" in str(err.value)
    with pytest.raises(SpecError) as err:
        synth(Job(name="b", image="ghcr.io/acme/b:1.0", queue="training"))
    assert "no kueue: section" in str(err.value)


def test_flavors_come_from_the_gpu_models_of_the_cluster_profile():
    from gitops.synth.cluster import BUILTIN
    from gitops.synth.kueue import flavors, platform_objects

    gke = flavors(BUILTIN["gke"])
    assert set(gke) >= {"default", "nvidia-l4"}
    assert gke["nvidia-l4"]["nodeLabels"] == {"cloud.google.com/gke-accelerator": "nvidia-l4"}
    kueue = parse_kueue(KUEUE, "gitops.yaml", None)
    objs = platform_objects(kueue, BUILTIN["gke"], "dev", "gitops.yaml")
    # per environment: environments may share a cluster
    assert sorted((o["kind"], o["metadata"]["name"]) for o in objs) == [
        ("ClusterQueue", "training-dev"), ("ResourceFlavor", "default-dev"), ("ResourceFlavor", "nvidia-l4-dev"),
        ("WorkloadPriorityClass", "research-dev")]
    queue = next(o for o in objs if o["kind"] == "ClusterQueue")["spec"]["resourceGroups"][0]
    assert queue["coveredResources"] == ["cpu", "memory", "nvidia.com/gpu"]
    # every flavor gives a quota for every covered resource, in order (the CRD's rule)
    assert [r["name"] for r in queue["flavors"][1]["resources"]] == queue["coveredResources"]
    assert queue["flavors"][1]["resources"][2]["nominalQuota"] == "0"
    bad = parse_kueue({"queues": {"x": {"quotas": {"nvidia-h100": {"cpu": 1}}}}}, "gitops.yaml", None)
    with pytest.raises(InputError, match="flavor 'nvidia-h100' is not a GPU model of cluster profile 'gke'"):
        platform_objects(bad, BUILTIN["gke"], "dev", "gitops.yaml")


# --- JobSet -------------------------------------------------------------------------------------

def test_a_jobset_has_a_leader_and_workers_with_the_torchrun_environment():
    files, _ = synth(training(), cluster="gke")
    spec = files["dev/tj/jobset-tj.yaml"]["spec"]
    assert [(r["name"], r["replicas"]) for r in spec["replicatedJobs"]] == [("leader", 1), ("workers", 2)]
    pod = spec["replicatedJobs"][1]["template"]["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value", e.get("valueFrom")) for e in pod["containers"][0]["env"]}
    assert env["MASTER_ADDR"] == env["PET_MASTER_ADDR"] == "tj-leader-0-0.tj.tj-dev.svc"
    assert env["NNODES"] == "3" and env["WORLD_SIZE"] == "12" and env["NPROC_PER_NODE"] == "4"
    assert env["NODE_RANK"] == {"fieldRef": {"fieldPath": "metadata.annotations['jobset.sigs.k8s.io/job-global-index']"}}
    assert spec["network"] == {"enableDNSHostnames": True, "publishNotReadyAddresses": True, "subdomain": "tj"}
    assert spec["failurePolicy"] == {"maxRestarts": 3, "rules": [{
        "name": "restart-on-preemption", "action": "RestartJobSetAndIgnoreMaxRestarts",
        "onJobFailureReasons": ["PodFailurePolicy"]}]}
    job = spec["replicatedJobs"][0]["template"]["spec"]
    assert job["backoffLimit"] == 0 and job["podFailurePolicy"]["rules"][0]["action"] == "FailJob"
    assert "tj/service-tj.yaml" not in " ".join(files)  # JobSet makes its own headless Service


def test_exclusive_placement_keeps_the_gang_in_one_domain_of_the_profiles_label():
    files, _ = synth(training(exclusive_topology="zone"), cluster="gke")
    leader, workers = files["dev/tj/jobset-tj.yaml"]["spec"]["replicatedJobs"]
    leader_affinity = leader["template"]["spec"]["template"]["spec"]["affinity"]
    workers_affinity = workers["template"]["spec"]["template"]["spec"]["affinity"]
    assert "podAffinity" not in leader_affinity
    follow = workers_affinity["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert follow["topologyKey"] == "topology.kubernetes.io/zone"
    assert follow["labelSelector"]["matchLabels"]["jobset.sigs.k8s.io/replicatedjob-name"] == "leader"
    alone = leader_affinity["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert alone["labelSelector"]["matchExpressions"][1] == {"key": "jobset.sigs.k8s.io/jobset-name",
                                                             "operator": "NotIn", "values": ["tj"]}


def test_a_topology_level_the_profile_does_not_know_is_a_spec_error():
    with pytest.raises(SpecError) as err:
        synth(training(exclusive_topology="rack"), cluster="gke")
    assert (err.value.problems[0].file, err.value.problems[0].line, err.value.field) == ("apps/x.py", 7,
                                                                                       "exclusive_topology")
    assert "cluster profile 'gke'" in str(err.value) and "zone" in str(err.value)
    with pytest.raises(SpecError) as err:
        training(output="job", exclusive_topology="zone")
    assert err.value.field == "exclusive_topology"


def test_profiles_declare_topology_labels(tmp_path):
    from gitops.config import load

    (tmp_path / "gitops.yaml").write_text(
        "clusters:\n  gpu:\n    extends: gke\n    topologyLabels: {rack: example.com/rack}\n"
        "environments:\n  dev: {cluster: gpu}\n")
    from gitops.synth.cluster import profile_for

    config = load(str(tmp_path))
    profile = profile_for(config, config.environment("dev"))
    assert dict(profile.topology_labels) == {"rack": "example.com/rack", "zone": "topology.kubernetes.io/zone"}
    (tmp_path / "gitops.yaml").write_text("clusters:\n  gpu:\n    topologyLabels: {rack: 'not a label!'}\n")
    with pytest.raises(InputError) as err:
        load(str(tmp_path))
    assert err.value.problems[0].line == 3


# --- the official CRDs ----------------------------------------------------------------------------

def test_every_new_object_is_valid_against_the_official_crds(crds):
    apps = [worker(event_scaling=EventScaling(triggers=[
                RABBIT, Trigger.kafka("orders", "kafka:9092", "workers", sasl_password=FromSecret(name="k", key="p")),
                Trigger.prometheus("http://prometheus.monitoring:9090", "sum(queue_depth)", 40)])),
            Job(name="thumbs", image="ghcr.io/acme/thumbs:1.0", resources=RES,
                event_scaling=EventScaling(triggers=[Trigger.sqs("https://sqs.eu-west-1.amazonaws.com/1/q", "eu-west-1")])),
            training(queue="training", exclusive_topology="zone"),
            training(name="tk", output="kubeflow", queue="training")]
    files, _ = synth(*apps, cluster="gke", sections=kueue_section())
    from gitops.synth.cluster import BUILTIN
    from gitops.synth.kueue import platform_objects

    objects = [obj for path, obj in files.items() if not path.endswith("kustomization.yaml")]
    objects += platform_objects(parse_kueue(KUEUE, "gitops.yaml", None), BUILTIN["gke"], "dev", "gitops.yaml")
    kinds = {o["kind"] for o in objects}
    assert {"ScaledObject", "ScaledJob", "TriggerAuthentication", "JobSet", "LocalQueue", "ClusterQueue",
            "ResourceFlavor", "WorkloadPriorityClass", "TrainJob"} <= kinds
    problems = {f"{o['kind']}/{o['metadata']['name']}": errs for o in objects if (errs := errors_of(crds, o))}
    assert problems == {}
    # and the compact bundled schemas agree (the store serves them when no CRD is imported)
    bundled = Validators.__new__(Validators)
    from gitops.schema.validator import Options, Validator

    bundled.builtin = bundled.store_of_crds = Validator(Options("1.33", strict=True, locate_lines=False))
    assert {f"{o['kind']}/{o['metadata']['name']}": errs for o in objects if (errs := errors_of(bundled, o))} == {}


# --- bad kueue settings: one line naming gitops.yaml's line, exit 2 ---------------------------------

@pytest.mark.parametrize("section,line,complaint", [
    ("kueue: [a]", 1, "expected a mapping with queues and priorities"),
    ("kueue:\n  queues:\n    training:\n      quota: {}", 4, "unknown queue setting"),
    ("kueue:\n  queues:\n    training:\n      quotas: {default: {cpu: lots}}", 4, "got 'lots'; expected a quantity"),
    ("kueue:\n  queues:\n    Training: {quotas: {default: {cpu: 1}}}", 3, "queue name"),
    ("kueue:\n  priorities: {high: '10'}", 2, "expected an integer"),
    ("kueue:\n  queues:\n    training: {quotas: {nvidia-h100: {cpu: 1}}}", 3, "not a GPU model of cluster profile"),
    ("environments:\n  dev: {kueue: {suspend: yes please}}\n  prod: {}", 2, "expected true or false"),
])
def test_bad_kueue_settings_are_one_line_with_the_config_line(tmp_path, section, line, complaint):
    from tests.conftest import WEB_SPEC, make_project, run_gitops

    config = section if section.startswith("environments") else section + "\nenvironments: {dev: {}, prod: {}}"
    root = make_project(tmp_path / "p", {"web.py": WEB_SPEC}, config=config + "\n")
    proc = run_gitops(["synth"], root)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"gitops.yaml:{line}:") and complaint in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_the_bundled_platform_schemas_check_embedded_kubernetes_types_strictly():
    """A JobSet's Job template is checked as a Kubernetes Job template (the CRD's 800 kB copy of it
    is replaced by a reference to the bundled definitions), and unknown fields are refused."""
    from gitops.manifests.resource import Origin, Resource
    from gitops.schema.validator import Options, Validator

    validator = Validator(Options("1.33", strict=True, locate_lines=False))

    def problems(obj):
        return [f"{f.path}: {f.rule}" for f in validator.validate(Resource(obj, Origin(file="x.yaml"))).findings
                if f.severity == "error"]

    jobset = {"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet", "metadata": {"name": "t"},
              "spec": {"replicatedJobs": [{"name": "w", "replicas": 1, "template": {"spec": {"template": {"spec": {
                  "containers": [{"name": "c", "image": "i", "resources": {"limit": {"cpu": "1"}}}]}}}}}]}}
    assert problems(jobset) == [
        "spec.replicatedJobs[0].template.spec.template.spec.containers[0].resources.limit: schema-unknown-field"]
    scaled = {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "w", "namespace": "n"},
              "spec": {"scaleTargetRef": {"name": "w"}, "minReplicas": 0,
                       "triggers": [{"type": "rabbitmq", "metadata": {"queueName": "orders"}}]}}
    assert problems(scaled) == ["spec.minReplicas: schema-unknown-field"]


def test_the_pod_rules_and_pod_security_see_the_pods_of_a_jobset_and_a_scaled_job():
    from tests.policy.helpers import check

    jobset = """
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata: {name: t, namespace: ml}
spec:
  replicatedJobs:
  - name: leader
    replicas: 1
    template: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: i:1, securityContext: {privileged: true}}]}}}}
"""
    found = check("privileged", jobset)
    assert [f.path for f in found] == ["spec.replicatedJobs[0].template.spec.template.spec.containers[0]"]
    scaled = """
apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata: {name: t, namespace: ml}
spec:
  jobTargetRef: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: i:1, securityContext: {privileged: true}}]}}}
  triggers: [{type: prometheus, metadata: {serverAddress: "http://p:9090", query: "q", threshold: "1"}}]
"""
    assert [f.path for f in check("privileged", scaled)] == ["spec.jobTargetRef.template.spec.containers[0]"]
    from gitops.admission.pods import pod_template
    from tests.policy.helpers import resources

    template = pod_template(resources(jobset)[0])
    assert template is not None and template.spec_path == "spec.replicatedJobs[0].template.spec.template.spec"


def test_the_cluster_check_knows_the_crds_an_add_on_installs():
    from dataclasses import replace

    from gitops.admission.inventory import BUILTIN_INVENTORIES
    from gitops.admission.stage import check_set
    from gitops.manifests.resource import Origin, Resource

    scaled = Resource({"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
                       "metadata": {"name": "w", "namespace": "ns"},
                       "spec": {"scaleTargetRef": {"name": "w"}, "triggers": [{"type": "cpu", "metadata": {}}]}},
                      Origin(file="m.yaml"))
    gke = BUILTIN_INVENTORIES["gke"]

    def refs(inventory):
        return [f.message for f in check_set([scaled], "gke", inventory, "1.33") if f.rule == "cluster-reference"]

    [missing] = refs(gke)
    assert "needs a CustomResourceDefinition" in missing
    assert refs(replace(gke, addons=gke.addons | {"keda"})) == []
