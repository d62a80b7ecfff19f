"""The false positives and false negatives found on real-world manifests (issue 14), one minimal
YAML each: the rule must stay silent on the first kind and speak on the second."""
import pytest

from .helpers import check

RC = """
apiVersion: v1
kind: ReplicationController
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {app: web}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers:
      - name: web
        image: nginx:1.27
        ports: [{name: http, containerPort: 80}]
        securityContext: {privileged: true}
"""
SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
"""


def test_replication_controller_pods_are_selected_by_services_and_pdbs():
    pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\n" \
          "spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n"
    assert check("service-selector", RC + "\n---\n" + SERVICE) == []
    assert check("service-ports", RC + "\n---\n" + SERVICE) == []
    assert check("pdb-selector", RC + "\n---\n" + pdb) == []
    assert check("service-ports", RC + "\n---\n" + SERVICE.replace("targetPort: http", "targetPort: web"))


@pytest.mark.parametrize("rule_id", ["privileged", "host-namespaces", "liveness-probe", "cpu-requests",
                                     "image-tag", "run-as-non-root"])
def test_replication_controller_is_a_workload_for_pod_rules(rule_id):
    assert check(rule_id, RC.replace("nginx:1.27", "nginx")), f"{rule_id} passed a bad ReplicationController"


PROMETHEUS = """
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  replicas: 2
  podMetadata:
    labels: {app.kubernetes.io/component: prometheus, app.kubernetes.io/part-of: kube-prometheus}
"""


def test_operator_pods_are_known_from_data():
    svc = """
apiVersion: v1
kind: Service
metadata: {name: prometheus-k8s, namespace: monitoring}
spec:
  selector: {app.kubernetes.io/component: prometheus, app.kubernetes.io/instance: k8s,
             app.kubernetes.io/name: prometheus, app.kubernetes.io/part-of: kube-prometheus}
  ports: [{port: 9090, targetPort: web}]
"""
    assert check("service-selector", PROMETHEUS + "\n---\n" + svc) == []
    assert check("service-ports", PROMETHEUS + "\n---\n" + svc) == []  # the operator's container ports are unknown
    alertmanager = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: m}\n" \
                   "spec: {replicas: 3}\n"
    pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: am, namespace: m}\n" \
          "spec: {maxUnavailable: 1, selector: {matchLabels: {alertmanager: main}}}\n"
    assert check("pdb-selector", alertmanager + "\n---\n" + pdb) == []
    # a selector the operator's labels do not satisfy is still an error
    wrong = svc.replace("instance: k8s", "instance: main")
    assert [f.severity for f in check("service-selector", PROMETHEUS + "\n---\n" + wrong)] == ["error"]


def test_unknown_custom_resource_that_makes_pods_lowers_the_finding_to_cannot_tell():
    cr = "apiVersion: acme.io/v1\nkind: Database\nmetadata: {name: db, namespace: shop}\n" \
         "spec: {replicas: 3, podTemplate: {metadata: {labels: {app: db}}}}\n"
    svc = SERVICE.replace("app: web", "app: db")
    found = check("service-selector", cr + "\n---\n" + svc)
    assert [f.severity for f in found] == ["info"]
    assert "cannot tell" in found[0].message and "Database/shop/db" in found[0].message
    assert [f.severity for f in check("service-selector", svc)] == ["error"]


def test_statefulset_pod_name_selectors_select_its_pods():
    sts = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis, namespace: shop}
spec:
  replicas: 3
  serviceName: redis
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec: {containers: [{name: redis, image: redis:7}]}
"""
    svc = SERVICE.replace("selector: {app: web}", "selector: {app: redis, statefulset.kubernetes.io/pod-name: redis-0}")
    assert check("service-selector", sts + "\n---\n" + svc) == []
    other = svc.replace("redis-0", "cache-0")
    assert check("service-selector", sts + "\n---\n" + other)


@pytest.mark.parametrize("image,policy,fails", [
    ("nginx", None, False), ("nginx:latest", None, False), ("localhost:5000/nginx", None, False),
    ("nginx:1.27", None, True), ("nginx@sha256:" + "a" * 64, None, True), ("nginx:latest", "IfNotPresent", True),
    ("nginx:1.27", "Always", False),
])
def test_image_pull_policy_defaults_to_always_for_untagged_and_latest(image, policy, fails):
    extra = f", imagePullPolicy: {policy}" if policy else ""
    pod = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: c, image: '{image}'{extra}}}]\n"
    assert bool(check("image-pull-policy", pod)) is fails


@pytest.mark.parametrize("rule_id,key", [("cpu-requests", "cpu"), ("memory-requests", "memory")])
def test_requests_default_to_limits(rule_id, key):
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n" \
          f"    resources: {{limits: {{{key}: '2'}}}}\n"
    assert check(rule_id, pod) == []
    found = check(rule_id, pod, options={"max": "1"})  # the defaulted request is still bounded
    assert [f.path for f in found] == [f"spec.containers[0].resources.limits.{key}"]


@pytest.mark.parametrize("policy,fails", [("Never", False), ("OnFailure", False), ("Always", True)])
def test_liveness_probe_only_for_pods_that_restart(policy, fails):
    pod = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  restartPolicy: {policy}\n" \
          "  containers: [{name: c, image: x:1}]\n"
    assert bool(check("liveness-probe", pod)) is fails


@pytest.mark.parametrize("rule_id", ["seccomp-profile", "drop-capabilities", "read-only-root-fs",
                                     "privilege-escalation", "high-user-id"])
def test_linux_only_rules_skip_windows_pods(rule_id):
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: OS}\n  containers: [{name: c, image: x:1}]\n"
    assert check(rule_id, pod.replace("OS", "windows")) == []
    assert check(rule_id, pod.replace("OS", "linux"))


def test_cronjob_with_a_deadline_needs_no_ttl():
    cron = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      activeDeadlineSeconds: 600
      template: {spec: {restartPolicy: Never, containers: [{name: c, image: x:1}]}}
"""
    assert check("job-deadline-and-ttl", cron) == []
    assert check("job-deadline-and-ttl", cron.replace("activeDeadlineSeconds: 600", "parallelism: 1"))


def test_argo_cd_hook_job_needs_no_ttl():
    job = """
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  annotations: {argocd.argoproj.io/hook: PreSync}
spec:
  activeDeadlineSeconds: 600
  template: {spec: {restartPolicy: Never, containers: [{name: c, image: x:1}]}}
"""
    assert check("job-deadline-and-ttl", job) == []
    assert check("sync-hooks-waves", job) == []


@pytest.mark.parametrize("api_version,selects_all", [("policy/v1", True), ("policy/v1beta1", False)])
def test_empty_pdb_selector_selects_every_pod(api_version, selects_all):
    pdb = f"apiVersion: {api_version}\nkind: PodDisruptionBudget\nmetadata: {{name: all, namespace: shop}}\n" \
          "spec: {maxUnavailable: 1, selector: {}}\n"
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: x:1}]}
"""
    assert (check("pdb-selector", pdb + "\n---\n" + deployment) == []) is selects_all
    assert (check("pod-disruption-budget", pdb + "\n---\n" + deployment) == []) is selects_all


def test_volume_claim_template_supplies_the_volume():
    sts = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: x:1, volumeMounts: [{name: data, mountPath: /data}]}]
      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
    assert check("pod-references", sts) == []
    assert check("pod-references", sts.replace("- metadata: {name: data}", "- metadata: {name: other}"))


def test_secret_created_by_a_role_holder_of_the_set_is_not_missing():
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis, namespace: argocd}
spec:
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
      - name: redis
        image: redis:7
        env: [{name: REDIS_PASSWORD, valueFrom: {secretKeyRef: {name: argocd-redis, key: auth}}}]
"""
    role = """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: redis, namespace: argocd}
rules:
- {apiGroups: [""], resources: [secrets], resourceNames: [argocd-redis], verbs: [get]}
- {apiGroups: [""], resources: [secrets], verbs: [create]}
"""
    assert check("pod-references", deployment + "\n---\n" + role) == []
    assert check("pod-references", deployment)


@pytest.mark.parametrize("api_version,kind,fails", [
    ("gateway.networking.k8s.io/v1", "GatewayClass", False),
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass", False),
    ("resource.k8s.io/v1", "DeviceClass", False),
    ("kyverno.io/v1", "ClusterPolicy", False),
    ("gateway.networking.k8s.io/v1", "Gateway", False),  # unknown to the tables: told by its CRD below
    ("v1", "Policy", False),  # kube-scheduler's old policy file: no Kubernetes kind, nothing to place
    ("v1", "ConfigMap", True),
    ("apps/v1", "Deployment", True),
])
def test_namespace_set_asks_the_schema_package_for_scope(api_version, kind, fails):
    obj = f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n"
    crd = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gateways.gateway.networking.k8s.io}
spec: {group: gateway.networking.k8s.io, scope: Cluster, names: {kind: Gateway, plural: gateways}}
"""
    assert bool(check("namespace-set", obj + "\n---\n" + crd)) is fails


def test_namespace_set_uses_a_crd_of_the_set_that_says_namespaced():
    obj = "apiVersion: acme.io/v1\nkind: ClusterThing\nmetadata: {name: x}\n"
    crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: t.acme.io}\n" \
          "spec: {group: acme.io, scope: Namespaced, names: {kind: ClusterThing, plural: t}}\n"
    assert check("namespace-set", obj) == []  # Cluster... and unknown: taken as cluster-scoped
    assert check("namespace-set", obj + "\n---\n" + crd)


@pytest.mark.parametrize("name,value,fails", [
    ("MYSQL_ALLOW_EMPTY_PASSWORD", "yes", False),
    ("ETCD_INITIAL_CLUSTER_TOKEN", "etcd-cluster-1", False),
    ("REDIS_URL", "redis://:s3cretpw@redis:6379/0", True),
    ("DB_PASSWORD", "hunter2", True),
    ("MYSQL_ROOT_PASSWORD", "yes", False),
])
def test_secret_literals_precision(name, value, fails):
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n" \
          f"    env: [{{name: {name}, value: '{value}'}}]\n"
    assert bool(check("secret-literals", pod)) is fails


def test_progress_deadline_default_is_within_the_limit():
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: x:1}]}
"""
    assert check("progress-deadline", deployment) == []
    assert check("progress-deadline", deployment.replace("spec:\n  selector", "spec:\n  progressDeadlineSeconds: 7200\n"
                                                                              "  selector"))


@pytest.mark.parametrize("value", ["sys_admin", "SYS_ADMIN", "CAP_SYS_ADMIN", "Net_Raw"])
def test_dangerous_capabilities_in_any_case(value):
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n" \
          f"    securityContext: {{capabilities: {{add: [{value}]}}}}\n"
    assert check("dangerous-capabilities", pod)


@pytest.mark.parametrize("rule_id,bad", [
    ("ingress-backend", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: bad}\n"
                        "spec: {defaultBackend: [oops]}\n"),
    ("pdb-selector", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: bad}\nspec: [1]\n"),
    ("service-selector", "apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec: {selector: [x]}\n"),
])
def test_one_malformed_object_does_not_hide_the_others(rule_id, bad):
    good = {
        "ingress-backend": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: good}\nspec:\n"
                           "  defaultBackend: {service: {name: missing, port: {number: 80}}}\n",
        "pdb-selector": "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: good}\n"
                        "spec: {maxUnavailable: 1, selector: {matchLabels: {app: none}}}\n",
        "service-selector": "apiVersion: v1\nkind: Service\nmetadata: {name: good}\nspec: {selector: {app: none}}\n",
    }[rule_id]
    found = check(rule_id, bad + "---\n" + good)
    assert sorted(f.resource.split("/")[-1] for f in found) == ["bad", "good"]
    assert all(f.origin.line for f in found)
