"""Pod Security admission: each control of the Pod Security Standards table, per version, with the
exemptions upstream makes. Cases are written from https://kubernetes.io/docs/concepts/security/pod-security-standards/
and the checks of kubernetes/pod-security-admission (policy/check_*.go)."""
from __future__ import annotations

import copy

import pytest

from gitops.admission import podsecurity
from gitops.admission.inventory import BUILTIN_INVENTORIES
from gitops.admission.pods import pod_template
from gitops.admission.stage import check_set
from gitops.manifests.resource import Origin, Resource

# A pod that meets `restricted` in every version: the base every case changes one field of.
GOOD = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "team"},
    "spec": {
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "app", "image": "app:1", "securityContext": {
            "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}],
    },
}


def pod(change=None, **spec):
    obj = copy.deepcopy(GOOD)
    obj["spec"].update(spec)
    if change:
        change(obj)
    return obj


def container_sc(**fields):
    return lambda obj: obj["spec"]["containers"][0]["securityContext"].update(fields)


def pod_sc(**fields):
    return lambda obj: obj["spec"]["securityContext"].update(fields)


def controls(obj, level, version=(1, 37)):
    template = pod_template(Resource(obj))
    return sorted({v.control for v in podsecurity.evaluate(template, level, version)})


def test_the_base_pod_meets_restricted_in_every_supported_version():
    for minor in range(25, 38):
        assert controls(pod(), "restricted", (1, minor)) == []


# (case, pod, level that refuses it, the control)
BASELINE_FAILS = [
    ("hostProcess on the pod", pod(pod_sc(windowsOptions={"hostProcess": True})), "windowsHostProcess"),
    ("hostNetwork", pod(hostNetwork=True), "hostNamespaces"),
    ("hostPID", pod(hostPID=True), "hostNamespaces"),
    ("hostIPC", pod(hostIPC=True), "hostNamespaces"),
    ("privileged", pod(container_sc(privileged=True)), "privileged"),
    ("NET_RAW", pod(container_sc(capabilities={"drop": ["ALL"], "add": ["NET_RAW"]})), "capabilities_baseline"),
    ("hostPath volume", pod(volumes=[{"name": "h", "hostPath": {"path": "/"}}]), "hostPathVolumes"),
    ("hostPort", pod(lambda o: o["spec"]["containers"][0].update(ports=[{"containerPort": 80, "hostPort": 80}])),
     "hostPorts"),
    ("AppArmor unconfined field", pod(pod_sc(appArmorProfile={"type": "Unconfined"})), "appArmorProfile"),
    ("AppArmor unconfined annotation", pod(lambda o: o["metadata"].update(annotations={
        "container.apparmor.security.beta.kubernetes.io/app": "unconfined"})), "appArmorProfile"),
    ("SELinux custom type", pod(pod_sc(seLinuxOptions={"type": "spc_t"})), "seLinuxOptions"),
    ("SELinux user", pod(container_sc(seLinuxOptions={"user": "root"})), "seLinuxOptions"),
    ("/proc unmasked", pod(container_sc(procMount="Unmasked")), "procMount"),
    ("seccomp Unconfined", pod(pod_sc(seccompProfile={"type": "Unconfined"})), "seccompProfile_baseline"),
    ("unsafe sysctl", pod(pod_sc(sysctls=[{"name": "kernel.msgmax", "value": "1"}])), "sysctls"),
    ("probe host", pod(lambda o: o["spec"]["containers"][0].update(
        livenessProbe={"httpGet": {"port": 80, "host": "10.0.0.1"}})), "hostProbesAndHostLifecycle"),
    ("ephemeral container privileged", pod(ephemeralContainers=[
        {"name": "debug", "image": "busybox", "securityContext": {"privileged": True}}]), "privileged"),
]


@pytest.mark.parametrize("case,obj,control", BASELINE_FAILS, ids=[c[0] for c in BASELINE_FAILS])
def test_baseline_controls_refuse_what_the_table_forbids(case, obj, control):
    assert control in controls(obj, "baseline"), case
    assert controls(obj, "privileged") == []


BASELINE_ALLOWS = [
    ("default capability", pod(container_sc(capabilities={"drop": ["ALL"], "add": ["CHOWN"]}))),
    ("hostPort 0", pod(lambda o: o["spec"]["containers"][0].update(ports=[{"containerPort": 80, "hostPort": 0}]))),
    ("AppArmor localhost", pod(lambda o: o["metadata"].update(annotations={
        "container.apparmor.security.beta.kubernetes.io/app": "localhost/prof"}))),
    ("SELinux container_t", pod(pod_sc(seLinuxOptions={"type": "container_t", "level": "s0:c1"}))),
    ("/proc Default", pod(container_sc(procMount="Default"))),
    ("safe sysctl", pod(pod_sc(sysctls=[{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]))),
    ("probe without host", pod(lambda o: o["spec"]["containers"][0].update(livenessProbe={"httpGet": {"port": 80}}))),
]


@pytest.mark.parametrize("case,obj", BASELINE_ALLOWS, ids=[c[0] for c in BASELINE_ALLOWS])
def test_baseline_allows_what_the_table_allows(case, obj):
    assert controls(obj, "baseline") == [], case


RESTRICTED_FAILS = [
    ("nfs volume", pod(volumes=[{"name": "n", "nfs": {"server": "s", "path": "/"}}]), "restrictedVolumes"),
    ("hostPath is a restricted volume type", pod(volumes=[{"name": "h", "hostPath": {"path": "/"}}]),
     "restrictedVolumes"),
    ("privilege escalation unset", pod(lambda o: o["spec"]["containers"][0]["securityContext"].pop(
        "allowPrivilegeEscalation")), "allowPrivilegeEscalation"),
    ("runAsNonRoot unset", pod(lambda o: o["spec"]["securityContext"].pop("runAsNonRoot")), "runAsNonRoot"),
    ("runAsNonRoot false on the container", pod(container_sc(runAsNonRoot=False)), "runAsNonRoot"),
    ("runAsUser 0", pod(pod_sc(runAsUser=0)), "runAsUser"),
    ("no seccomp", pod(lambda o: o["spec"]["securityContext"].pop("seccompProfile")), "seccompProfile_restricted"),
    ("capabilities not dropped", pod(container_sc(capabilities={})), "capabilities_restricted"),
    ("capability added", pod(container_sc(capabilities={"drop": ["ALL"], "add": ["CHOWN"]})),
     "capabilities_restricted"),
]


@pytest.mark.parametrize("case,obj,control", RESTRICTED_FAILS, ids=[c[0] for c in RESTRICTED_FAILS])
def test_restricted_controls(case, obj, control):
    assert control in controls(obj, "restricted"), case
    assert control not in controls(obj, "baseline")


def test_restricted_replaces_the_baseline_checks_it_overrides():
    hostpath = pod(volumes=[{"name": "h", "hostPath": {"path": "/"}}])
    assert controls(hostpath, "restricted") == ["restrictedVolumes"]  # not also hostPathVolumes
    unconfined = pod(pod_sc(seccompProfile={"type": "Unconfined"}))
    assert controls(unconfined, "restricted") == ["seccompProfile_restricted"]


def test_restricted_allows_its_allowed_values():
    allowed = [pod(container_sc(capabilities={"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})),
               pod(volumes=[{"name": k, k: {}} for k in ("configMap", "secret", "emptyDir", "projected",
                                                          "downwardAPI", "persistentVolumeClaim", "csi", "ephemeral")]),
               pod(container_sc(seccompProfile={"type": "Localhost", "localhostProfile": "p.json"}))]
    for obj in allowed:
        assert controls(obj, "restricted") == []


# ---- the standards changed across versions ----------------------------------------------------

def test_sysctls_allowed_grow_with_the_version():
    keepalive = pod(pod_sc(sysctls=[{"name": "net.ipv4.tcp_keepalive_time", "value": "60"}]))
    assert controls(keepalive, "baseline", (1, 28)) == ["sysctls"]
    assert controls(keepalive, "baseline", (1, 29)) == []
    rmem = pod(pod_sc(sysctls=[{"name": "net.ipv4.tcp_rmem", "value": "4096 87380 6291456"}]))
    assert controls(rmem, "baseline", (1, 31)) == ["sysctls"] and controls(rmem, "baseline", (1, 32)) == []
    idle = pod(pod_sc(sysctls=[{"name": "net.ipv4.tcp_slow_start_after_idle", "value": "0"}]))
    assert controls(idle, "baseline", (1, 36)) == ["sysctls"] and controls(idle, "baseline", (1, 37)) == []


def test_probe_and_lifecycle_host_is_checked_from_1_34():
    hooked = pod(lambda o: o["spec"]["containers"][0].update(
        lifecycle={"preStop": {"httpGet": {"port": 80, "host": "example.com"}}}))
    assert controls(hooked, "baseline", (1, 33)) == []
    assert controls(hooked, "baseline", (1, 34)) == ["hostProbesAndHostLifecycle"]


def test_selinux_container_engine_t_is_allowed_from_1_31():
    engine = pod(pod_sc(seLinuxOptions={"type": "container_engine_t"}))
    assert controls(engine, "baseline", (1, 30)) == ["seLinuxOptions"]
    assert controls(engine, "baseline", (1, 31)) == []


def test_user_namespaces_relax_run_as_and_proc_mount_from_1_35():
    userns = pod(container_sc(procMount="Unmasked", runAsNonRoot=False), hostUsers=False)
    userns["spec"]["securityContext"]["runAsUser"] = 0
    assert controls(userns, "baseline", (1, 34)) == ["procMount"]
    assert controls(userns, "baseline", (1, 35)) == []
    # restricted still forbids the unmasked /proc (procMount_restricted), but no longer root in a user namespace
    assert controls(userns, "restricted", (1, 35)) == ["procMount_restricted"]
    assert set(controls(userns, "restricted", (1, 34))) == {"procMount", "runAsNonRoot", "runAsUser"}


def test_windows_pods_skip_the_linux_only_restricted_controls():
    windows = pod(os={"name": "windows"})
    windows["spec"]["containers"][0]["securityContext"] = {}
    windows["spec"]["securityContext"] = {"runAsNonRoot": True}
    assert controls(windows, "restricted", (1, 33)) == []
    linux = copy.deepcopy(windows)
    del linux["spec"]["os"]
    assert controls(linux, "restricted", (1, 33)) == [
        "allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"]


# ---- namespaces, workload kinds, messages ---------------------------------------------------------

def namespace(name, **labels):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def deployment(pod_obj, ns="team"):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": ns},
            "spec": {"selector": {"matchLabels": {"a": "b"}},
                     "template": {"metadata": {"labels": {"a": "b"}}, "spec": pod_obj["spec"]}}}


def run(objs, profile="generic", version="1.33"):
    inventory = BUILTIN_INVENTORIES[profile]
    return [f for f in check_set([Resource(o, Origin(file="m.yaml")) for o in objs], profile, inventory, version)
            if f.rule == "pod-security"]


NFS = pod(volumes=[{"name": "data", "nfs": {"server": "nfs", "path": "/"}}])


def test_the_namespace_label_decides_the_level():
    assert run([namespace("team", **{"pod-security.kubernetes.io/enforce": "restricted"}), NFS])
    assert run([namespace("team", **{"pod-security.kubernetes.io/enforce": "baseline"}), NFS]) == []
    assert run([NFS]) == []  # no Namespace in the set: the profile's default (privileged)


def test_the_profile_default_applies_to_namespaces_without_the_label():
    from dataclasses import replace

    strict = replace(BUILTIN_INVENTORIES["generic"], pod_security="restricted")
    found = check_set([Resource(NFS)], "mine", strict, "1.33")
    assert [f.rule for f in found] == ["pod-security"]
    assert "profile 'mine' default" in found[0].message
    exempt = replace(strict, exempt_namespaces=frozenset({"team"}))
    assert check_set([Resource(NFS)], "mine", exempt, "1.33") == []


def test_enforce_version_label_picks_the_standards_of_that_version():
    keepalive = pod(pod_sc(sysctls=[{"name": "net.ipv4.tcp_keepalive_time", "value": "60"}]))
    labels = {"pod-security.kubernetes.io/enforce": "baseline"}
    assert run([namespace("team", **labels), keepalive]) == []
    old = run([namespace("team", **labels, **{"pod-security.kubernetes.io/enforce-version": "v1.28"}), keepalive])
    assert len(old) == 1 and 'baseline:v1.28' in old[0].message
    # a version newer than the cluster's is evaluated as the cluster's own (latest)
    newer = run([namespace("team", **labels, **{"pod-security.kubernetes.io/enforce-version": "v1.40"}), keepalive],
                version="1.28")
    assert len(newer) == 1 and "baseline:latest" in newer[0].message


def test_an_invalid_level_label_enforces_restricted_as_upstream_does():
    found = run([namespace("team", **{"pod-security.kubernetes.io/enforce": "strict"}), NFS])
    assert found and "restricted" in found[0].message


def test_workloads_are_admitted_but_their_pods_refused_with_path_and_line():
    found = run([namespace("team", **{"pod-security.kubernetes.io/enforce": "restricted"}), deployment(NFS)])
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and f.resource == "Deployment/team/web"
    assert f.path == "spec.template.spec.volumes[0].nfs"
    assert "the Deployment is admitted but every Pod it creates is refused" in f.message
    assert 'violates PodSecurity "restricted:latest"' in f.message and '"nfs"' in f.message


@pytest.mark.parametrize("kind,path", [
    ("StatefulSet", "spec.template"), ("DaemonSet", "spec.template"), ("ReplicaSet", "spec.template"),
    ("ReplicationController", "spec.template"), ("Job", "spec.template"),
    ("CronJob", "spec.jobTemplate.spec.template")])
def test_every_workload_kind_is_checked(kind, path):
    obj = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "w", "namespace": "team"}, "spec": {}}
    node = obj
    steps = path.split(".")
    for step in steps[:-1]:
        node = node.setdefault(step, {})
    node[steps[-1]] = {"spec": NFS["spec"]}
    found = run([namespace("team", **{"pod-security.kubernetes.io/enforce": "restricted"}), obj])
    assert [f.path for f in found] == [f"{path}.spec.volumes[0].nfs"]


def test_hostile_values_never_crash():
    weird = pod()
    weird["spec"]["containers"] = [None, 3, {"name": 7, "securityContext": "x", "ports": "p"}]
    weird["spec"]["volumes"] = "nope"
    weird["spec"]["securityContext"] = {"sysctls": [None, {"name": 3}], "seLinuxOptions": []}
    for level in ("baseline", "restricted"):
        podsecurity.evaluate(pod_template(Resource(weird)), level, (1, 33))
