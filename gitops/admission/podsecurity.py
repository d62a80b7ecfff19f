"""The controls of the Pod Security Standards (baseline and restricted), per Kubernetes version.

Modelled on the checks Pod Security admission runs (kubernetes/pod-security-admission, package
`policy`, files `check_*.go`) and the table of https://kubernetes.io/docs/concepts/security/pod-security-standards/.
Each control has the upstream check id, its level and one function per version in which its rule
changed; the newest version not later than the evaluated one applies. A restricted control may
replace a baseline one (upstream `OverrideCheckIDs`): restricted volume types replace the hostPath
check, the restricted seccomp and capabilities checks replace the baseline ones, and from 1.35 the
restricted /proc mount check replaces the baseline one (which then allows any value in a user
namespace).

Exemptions upstream makes, kept here:
- Windows pods (`spec.os.name: windows`) skip allowPrivilegeEscalation, restricted capabilities and
  restricted seccomp from 1.25 (those fields do not exist on Windows).
- Pods in a user namespace (`spec.hostUsers: false`) skip runAsNonRoot, runAsUser and the baseline
  /proc mount check from 1.35.
- Ephemeral containers are checked like the others (upstream `visitContainers` visits them).

A violation is one offending field, with its JSON path, so a finding can name the line.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .pods import PodTemplate, container_name, containers, mapping

__all__ = ["Control", "Violation", "CONTROLS", "LEVELS", "evaluate", "controls_for"]

Version = tuple[int, int]
BASELINE, RESTRICTED, PRIVILEGED = "baseline", "restricted", "privileged"
LEVELS = (PRIVILEGED, BASELINE, RESTRICTED)


@dataclass(frozen=True)
class Violation:
    control: str  # upstream check id
    reason: str  # upstream ForbiddenReason
    path: str
    detail: str


Check = Callable[[PodTemplate], list[Violation]]


@dataclass(frozen=True)
class Control:
    id: str
    level: str
    title: str  # the row of the Pod Security Standards table
    versions: tuple[tuple[Version, Check], ...]  # (first version, check), oldest first
    overrides: tuple[str, ...] = ()  # baseline control ids this one replaces (restricted level)

    def check_for(self, version: Version) -> Check | None:
        chosen = None
        for since, check in self.versions:
            if since <= version:
                chosen = check
        return chosen


def _sc(item: dict) -> dict:
    return mapping(item.get("securityContext"))


def _pod_sc(t: PodTemplate) -> dict:
    return mapping(t.spec.get("securityContext"))


def _is_windows(t: PodTemplate) -> bool:
    return mapping(t.spec.get("os")).get("name") == "windows"


def _user_namespace(t: PodTemplate) -> bool:
    return t.spec.get("hostUsers") is False


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _q(value: Any) -> str:
    return f'"{value}"'


def _containers(items: list[tuple[dict, str]]) -> str:
    names = ", ".join(_q(container_name(c)) for c, _ in items)
    return f"container{'s' if len(items) > 1 else ''} {names}"


# ---- baseline ------------------------------------------------------------------------------------

def _host_process(t: PodTemplate) -> list[Violation]:
    out = []
    if mapping(_pod_sc(t).get("windowsOptions")).get("hostProcess") is True:
        out.append(Violation("windowsHostProcess", "hostProcess", f"{t.spec_path}.securityContext.windowsOptions.hostProcess",
                             "pod must not set securityContext.windowsOptions.hostProcess=true"))
    for _, c, path in containers(t):
        if mapping(_sc(c).get("windowsOptions")).get("hostProcess") is True:
            out.append(Violation("windowsHostProcess", "hostProcess", f"{path}.securityContext.windowsOptions.hostProcess",
                                 f"container {_q(container_name(c))} must not set securityContext.windowsOptions.hostProcess=true"))
    return out


def _host_namespaces(t: PodTemplate) -> list[Violation]:
    return [Violation("hostNamespaces", "host namespaces", f"{t.spec_path}.{key}", f"{key}=true")
            for key in ("hostNetwork", "hostPID", "hostIPC") if t.spec.get(key) is True]


def _privileged(t: PodTemplate) -> list[Violation]:
    return [Violation("privileged", "privileged", f"{path}.securityContext.privileged",
                      f"container {_q(container_name(c))} must not set securityContext.privileged=true")
            for _, c, path in containers(t) if _sc(c).get("privileged") is True]


DEFAULT_CAPABILITIES = frozenset({"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                  "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})


def _added_capabilities(c: dict) -> list[tuple[int, Any]]:
    added = mapping(_sc(c).get("capabilities")).get("add")
    return list(enumerate(added)) if isinstance(added, list) else []


def _capabilities_baseline(t: PodTemplate) -> list[Violation]:
    return [Violation("capabilities_baseline", "non-default capabilities", f"{path}.securityContext.capabilities.add[{i}]",
                      f"container {_q(container_name(c))} must not include {_q(cap)} in securityContext.capabilities.add")
            for _, c, path in containers(t) for i, cap in _added_capabilities(c) if cap not in DEFAULT_CAPABILITIES]


def _volumes(t: PodTemplate) -> list[tuple[int, dict]]:
    volumes = t.spec.get("volumes")
    return [(i, v) for i, v in enumerate(volumes) if isinstance(v, dict)] if isinstance(volumes, list) else []


def _host_path_volumes(t: PodTemplate) -> list[Violation]:
    return [Violation("hostPathVolumes", "hostPath volumes", f"{t.spec_path}.volumes[{i}].hostPath",
                      f"volume {_q(v.get('name'))} uses hostPath")
            for i, v in _volumes(t) if v.get("hostPath") is not None]


def _host_ports(t: PodTemplate) -> list[Violation]:
    out = []
    for _, c, path in containers(t):
        ports = c.get("ports")
        for i, port in enumerate(ports if isinstance(ports, list) else []):
            host_port = mapping(port).get("hostPort")
            if _int(host_port) and host_port != 0:
                out.append(Violation("hostPorts", "hostPort", f"{path}.ports[{i}].hostPort",
                                     f"container {_q(container_name(c))} uses hostPort {host_port}"))
    return out


_APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"


def _app_armor(t: PodTemplate) -> list[Violation]:
    out = []
    allowed = ("RuntimeDefault", "Localhost")
    kind = mapping(_pod_sc(t).get("appArmorProfile")).get("type")
    if "appArmorProfile" in _pod_sc(t) and kind not in allowed:
        out.append(Violation("appArmorProfile", "forbidden AppArmor profile",
                             f"{t.spec_path}.securityContext.appArmorProfile.type",
                             f"pod must not set AppArmor profile type to {_q(kind)}"))
    for _, c, path in containers(t):
        if "appArmorProfile" in _sc(c):
            kind = mapping(_sc(c).get("appArmorProfile")).get("type")
            if kind not in allowed:
                out.append(Violation("appArmorProfile", "forbidden AppArmor profile",
                                     f"{path}.securityContext.appArmorProfile.type",
                                     f"container {_q(container_name(c))} must not set AppArmor profile type to {_q(kind)}"))
    for key, value in sorted(mapping(t.metadata.get("annotations")).items(), key=lambda kv: str(kv[0])):
        if isinstance(key, str) and key.startswith(_APPARMOR_ANNOTATION) and isinstance(value, str):
            if value and value != "runtime/default" and not value.startswith("localhost/"):
                out.append(Violation("appArmorProfile", "forbidden AppArmor profile",
                                     f'{t.metadata_path}.annotations["{key}"]',
                                     f'annotation {key}="{value}" must be runtime/default, localhost/* or empty'))
    return out


_SELINUX_TYPES_1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
_SELINUX_TYPES_1_31 = _SELINUX_TYPES_1_0 | {"container_engine_t"}


def _selinux(allowed: frozenset[str]) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        out = []
        setters = [("pod", _pod_sc(t), f"{t.spec_path}.securityContext")]
        setters += [(f"container {_q(container_name(c))}", _sc(c), f"{path}.securityContext") for _, c, path in containers(t)]
        for who, sc, path in setters:
            options = sc.get("seLinuxOptions")
            if not isinstance(options, dict):
                continue
            kind = options.get("type", "")
            if isinstance(kind, str) and kind not in allowed:
                out.append(Violation("seLinuxOptions", "seLinuxOptions", f"{path}.seLinuxOptions.type",
                                     f"{who} set forbidden securityContext.seLinuxOptions: type {_q(kind)}"))
            for key in ("user", "role"):
                if options.get(key):
                    out.append(Violation("seLinuxOptions", "seLinuxOptions", f"{path}.seLinuxOptions.{key}",
                                         f"{who} set forbidden securityContext.seLinuxOptions: {key} may not be set"))
        return out
    return check


def _proc_mount(control: str, relax_user_namespace: bool) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        if relax_user_namespace and _user_namespace(t):
            return []
        return [Violation(control, "procMount", f"{path}.securityContext.procMount",
                          f"container {_q(container_name(c))} must not set securityContext.procMount to "
                          f"{_q(_sc(c)['procMount'])}")
                for _, c, path in containers(t)
                if _sc(c).get("procMount") is not None and _sc(c).get("procMount") != "Default"]
    return check


_SECCOMP_OK = ("RuntimeDefault", "Localhost")
_SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
_SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"


def _seccomp_annotations(t: PodTemplate) -> list[Violation]:
    """Before 1.19 seccomp was set by annotations."""
    annotations = mapping(t.metadata.get("annotations"))
    keys = [_SECCOMP_POD_ANNOTATION] + [_SECCOMP_CONTAINER_ANNOTATION + container_name(c) for _, c, _ in containers(t)]
    out = []
    for key in keys:
        value = annotations.get(key)
        if isinstance(value, str) and value not in ("runtime/default", "docker/default") \
                and not value.startswith("localhost/"):
            out.append(Violation("seccompProfile_baseline", "seccompProfile", f'{t.metadata_path}.annotations["{key}"]',
                                 f'forbidden annotation {key}="{value}"'))
    return out


def _seccomp_explicit(t: PodTemplate, control: str) -> tuple[list[Violation], bool]:
    """Pod or containers setting a type other than RuntimeDefault/Localhost; and whether the pod sets a good one."""
    out = []
    pod_profile = _pod_sc(t).get("seccompProfile")
    pod_ok = False
    if isinstance(pod_profile, dict):
        kind = pod_profile.get("type")
        if kind in _SECCOMP_OK:
            pod_ok = True
        else:
            out.append(Violation(control, "seccompProfile", f"{t.spec_path}.securityContext.seccompProfile.type",
                                 f"pod must not set securityContext.seccompProfile.type to {_q(kind)}"))
    for _, c, path in containers(t):
        profile = _sc(c).get("seccompProfile")
        if isinstance(profile, dict) and profile.get("type") not in _SECCOMP_OK:
            out.append(Violation(control, "seccompProfile", f"{path}.securityContext.seccompProfile.type",
                                 f"container {_q(container_name(c))} must not set securityContext.seccompProfile.type "
                                 f"to {_q(profile.get('type'))}"))
    return out, pod_ok


def _seccomp_baseline(t: PodTemplate) -> list[Violation]:
    return _seccomp_explicit(t, "seccompProfile_baseline")[0]


SYSCTLS_1_0 = frozenset({"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
                         "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"})
SYSCTLS_1_27 = SYSCTLS_1_0 | {"net.ipv4.ip_local_reserved_ports"}
SYSCTLS_1_29 = SYSCTLS_1_27 | {"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                               "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"}
SYSCTLS_1_32 = SYSCTLS_1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}
SYSCTLS_1_37 = SYSCTLS_1_32 | {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}


def _sysctls(allowed: frozenset[str]) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        items = _pod_sc(t).get("sysctls")
        return [Violation("sysctls", "forbidden sysctls", f"{t.spec_path}.securityContext.sysctls[{i}].name",
                          f"sysctl {_q(mapping(s).get('name'))} is not in the safe set")
                for i, s in enumerate(items if isinstance(items, list) else [])
                if mapping(s).get("name") not in allowed]
    return check


def _host_probes(t: PodTemplate) -> list[Violation]:
    out = []
    for _, c, path in containers(t):
        handlers = [(f"{path}.{probe}", mapping(c.get(probe))) for probe in ("livenessProbe", "readinessProbe", "startupProbe")]
        lifecycle = mapping(c.get("lifecycle"))
        handlers += [(f"{path}.lifecycle.{hook}", mapping(lifecycle.get(hook))) for hook in ("postStart", "preStop")]
        for where, handler in handlers:
            for action in ("httpGet", "tcpSocket"):
                host = mapping(handler.get(action)).get("host")
                if isinstance(host, str) and host:
                    out.append(Violation("hostProbesAndHostLifecycle", "probe or lifecycle host", f"{where}.{action}.host",
                                         f"container {_q(container_name(c))} uses probe or lifecycle host {_q(host)}"))
    return out


# ---- restricted ----------------------------------------------------------------------------------

_ALLOWED_VOLUMES = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
                    "projected", "secret")


def _restricted_volumes(t: PodTemplate) -> list[Violation]:
    out = []
    for i, v in _volumes(t):
        if any(v.get(key) is not None for key in _ALLOWED_VOLUMES):
            continue
        kinds = [k for k, value in v.items() if k != "name" and value is not None]
        kind = kinds[0] if kinds else "unknown"
        out.append(Violation("restrictedVolumes", "restricted volume types", f"{t.spec_path}.volumes[{i}]" +
                             (f".{kind}" if kinds else ""),
                             f"volume {_q(v.get('name'))} uses restricted volume type {_q(kind)}"))
    return out


def _allow_privilege_escalation(skip_windows: bool) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        if skip_windows and _is_windows(t):
            return []
        return [Violation("allowPrivilegeEscalation", "allowPrivilegeEscalation != false",
                          f"{path}.securityContext.allowPrivilegeEscalation",
                          f"container {_q(container_name(c))} must set securityContext.allowPrivilegeEscalation=false")
                for _, c, path in containers(t) if _sc(c).get("allowPrivilegeEscalation") is not False]
    return check


def _run_as_non_root(relax_user_namespace: bool) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        if relax_user_namespace and _user_namespace(t):
            return []
        out = []
        pod_value = _pod_sc(t).get("runAsNonRoot")
        if pod_value is False:
            out.append(Violation("runAsNonRoot", "runAsNonRoot != true", f"{t.spec_path}.securityContext.runAsNonRoot",
                                 "pod must not set securityContext.runAsNonRoot=false"))
        implicit = []
        for _, c, path in containers(t):
            value = _sc(c).get("runAsNonRoot")
            if value is False:
                out.append(Violation("runAsNonRoot", "runAsNonRoot != true", f"{path}.securityContext.runAsNonRoot",
                                     f"container {_q(container_name(c))} must not set securityContext.runAsNonRoot=false"))
            elif value is None and pod_value is not True:
                implicit.append((c, path))
        if not out and implicit:  # upstream reports the implicit ones only when nothing set false explicitly
            out = [Violation("runAsNonRoot", "runAsNonRoot != true", f"{t.spec_path}.securityContext.runAsNonRoot",
                             f"pod or {_containers(implicit)} must set securityContext.runAsNonRoot=true")]
        return out
    return check


def _run_as_user(relax_user_namespace: bool) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        if relax_user_namespace and _user_namespace(t):
            return []
        out = []
        value = _pod_sc(t).get("runAsUser")
        if _int(value) and value == 0:
            out.append(Violation("runAsUser", "runAsUser=0", f"{t.spec_path}.securityContext.runAsUser",
                                 "pod must not set runAsUser=0"))
        for _, c, path in containers(t):
            value = _sc(c).get("runAsUser")
            if _int(value) and value == 0:
                out.append(Violation("runAsUser", "runAsUser=0", f"{path}.securityContext.runAsUser",
                                     f"container {_q(container_name(c))} must not set runAsUser=0"))
        return out
    return check


def _seccomp_restricted(skip_windows: bool) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        if skip_windows and _is_windows(t):
            return []
        out, pod_ok = _seccomp_explicit(t, "seccompProfile_restricted")
        if out or pod_ok:
            return out
        implicit = [(c, path) for _, c, path in containers(t) if not isinstance(_sc(c).get("seccompProfile"), dict)]
        if not implicit:
            return []
        return [Violation("seccompProfile_restricted", "seccompProfile", f"{t.spec_path}.securityContext.seccompProfile.type",
                          f'pod or {_containers(implicit)} must set securityContext.seccompProfile.type to '
                          '"RuntimeDefault" or "Localhost"')]
    return check


def _capabilities_restricted(skip_windows: bool) -> Check:
    def check(t: PodTemplate) -> list[Violation]:
        if skip_windows and _is_windows(t):
            return []
        out = []
        for _, c, path in containers(t):
            capabilities = mapping(_sc(c).get("capabilities"))
            drop = capabilities.get("drop")
            if not (isinstance(drop, list) and "ALL" in drop):
                out.append(Violation("capabilities_restricted", "unrestricted capabilities",
                                     f"{path}.securityContext.capabilities.drop",
                                     f'container {_q(container_name(c))} must set securityContext.capabilities.drop=["ALL"]'))
            for i, cap in _added_capabilities(c):
                if cap != "NET_BIND_SERVICE":
                    out.append(Violation("capabilities_restricted", "unrestricted capabilities",
                                         f"{path}.securityContext.capabilities.add[{i}]",
                                         f"container {_q(container_name(c))} must not include {_q(cap)} in "
                                         "securityContext.capabilities.add"))
        return out
    return check


CONTROLS: tuple[Control, ...] = (
    Control("windowsHostProcess", BASELINE, "HostProcess", (((1, 0), _host_process),)),
    Control("hostNamespaces", BASELINE, "Host Namespaces", (((1, 0), _host_namespaces),)),
    Control("privileged", BASELINE, "Privileged Containers", (((1, 0), _privileged),)),
    Control("capabilities_baseline", BASELINE, "Capabilities", (((1, 0), _capabilities_baseline),)),
    Control("hostPathVolumes", BASELINE, "HostPath Volumes", (((1, 0), _host_path_volumes),)),
    Control("hostPorts", BASELINE, "Host Ports", (((1, 0), _host_ports),)),
    Control("appArmorProfile", BASELINE, "AppArmor", (((1, 0), _app_armor),)),
    Control("seLinuxOptions", BASELINE, "SELinux", (((1, 0), _selinux(_SELINUX_TYPES_1_0)),
                                                     ((1, 31), _selinux(_SELINUX_TYPES_1_31)))),
    Control("procMount", BASELINE, "/proc Mount Type", (((1, 0), _proc_mount("procMount", False)),
                                                         ((1, 35), _proc_mount("procMount", True)))),
    Control("seccompProfile_baseline", BASELINE, "Seccomp", (((1, 0), _seccomp_annotations),
                                                              ((1, 19), _seccomp_baseline))),
    Control("sysctls", BASELINE, "Sysctls", (((1, 0), _sysctls(SYSCTLS_1_0)), ((1, 27), _sysctls(SYSCTLS_1_27)),
                                              ((1, 29), _sysctls(SYSCTLS_1_29)), ((1, 32), _sysctls(SYSCTLS_1_32)),
                                              ((1, 37), _sysctls(SYSCTLS_1_37)))),
    Control("hostProbesAndHostLifecycle", BASELINE, "Probes and lifecycle hooks (host)",
            (((1, 34), _host_probes),)),
    Control("restrictedVolumes", RESTRICTED, "Volume Types", (((1, 0), _restricted_volumes),),
            overrides=("hostPathVolumes",)),
    Control("allowPrivilegeEscalation", RESTRICTED, "Privilege Escalation",
            (((1, 8), _allow_privilege_escalation(False)), ((1, 25), _allow_privilege_escalation(True)))),
    Control("runAsNonRoot", RESTRICTED, "Running as Non-root",
            (((1, 0), _run_as_non_root(False)), ((1, 35), _run_as_non_root(True)))),
    Control("runAsUser", RESTRICTED, "Running as Non-root user",
            (((1, 23), _run_as_user(False)), ((1, 35), _run_as_user(True)))),
    Control("seccompProfile_restricted", RESTRICTED, "Seccomp",
            (((1, 19), _seccomp_restricted(False)), ((1, 25), _seccomp_restricted(True))),
            overrides=("seccompProfile_baseline",)),
    Control("capabilities_restricted", RESTRICTED, "Capabilities",
            (((1, 22), _capabilities_restricted(False)), ((1, 25), _capabilities_restricted(True))),
            overrides=("capabilities_baseline",)),
    Control("procMount_restricted", RESTRICTED, "/proc Mount Type", (((1, 35), _proc_mount("procMount_restricted", False)),),
            overrides=("procMount",)),
)


def controls_for(level: str, version: Version) -> list[tuple[Control, Check]]:
    """The controls a namespace at `level` enforces under the standards of `version`, with their checks."""
    if level not in (BASELINE, RESTRICTED):
        return []
    chosen = [(c, c.check_for(version)) for c in CONTROLS
              if c.level == BASELINE or level == RESTRICTED]
    active = [(c, check) for c, check in chosen if check is not None]
    overridden = {o for c, _ in active for o in c.overrides}
    return [(c, check) for c, check in active if c.id not in overridden]


def evaluate(template: PodTemplate, level: str, version: Version) -> list[Violation]:
    """Every violation of `level` at `version` in this pod template; never raises on odd input."""
    out: list[Violation] = []
    for _, check in controls_for(level, version):
        try:
            out.extend(check(template))
        except Exception:  # noqa: BLE001 - a malformed field is the schema check's finding
            continue
    return out
