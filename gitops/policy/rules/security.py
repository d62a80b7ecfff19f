"""Security: what a compromised container could reach. The shape-only checks (privileged, host
namespaces, capabilities, ...) are data rules in ../data/; these need code."""
from __future__ import annotations

import fnmatch
import re
from typing import Any

from ...findings import Finding
from ...manifests.reader import format_path
from ..api import WORKLOAD_KINDS, as_map, containers, is_windows, items, pod_spec

SAFE_SYSCTLS = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
                "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes"]
SECRET_PATTERNS = {
    "an AWS access key id": r"\b(AKIA|ASIA)[0-9A-Z]{16}\b",
    "a private key": r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    "a GitHub token": r"\bgh[pousr]_[A-Za-z0-9]{36,}\b",
    "a GitLab token": r"\bglpat-[A-Za-z0-9_-]{20,}\b",
    "a Slack token": r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
    "a Google API key": r"\bAIza[0-9A-Za-z_-]{35}\b",
    "a Stripe live key": r"\b[sr]k_live_[0-9A-Za-z]{20,}\b",
    "a JSON web token": r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
    # The scheme starts at a word boundary and is short: unanchored, this was quadratic on long text.
    # user:password@ or :password@ (redis://:pw@host has no user name)
    "a password in a URL": r"\b[a-z][a-z0-9+.-]{0,30}://[^/\s:@]{0,256}:[^/\s@]{1,256}@",
}
_SECRET_RE = [(what, re.compile(rx)) for what, rx in SECRET_PATTERNS.items()]
_SENSITIVE_NAME = re.compile(r"(?i)(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|"
                             r"SECRET_?KEY|CREDENTIALS?)$")
# Named like secrets, but settings: a switch (MYSQL_ALLOW_EMPTY_PASSWORD: "yes"), or a variable whose
# documented meaning is an identifier, not a credential.
_NOT_SECRET_NAME = re.compile(r"(?i)(^|_)(ALLOW|ALLOW_EMPTY|RANDOM_ROOT|ENABLE|DISABLE|REQUIRE|USE|SKIP)_|"
                              r"(^|_)(FILE|PATH|DIR|LENGTH|TTL|EXPIRY|EXPIRES|HEADER|URL|NAME|TYPE)$|"
                              r"^ETCD_INITIAL_CLUSTER_TOKEN$")
_SWITCH_VALUES = frozenset({"yes", "no", "true", "false", "on", "off", "y", "n", "0", "1", "none", "null", "changeme",
                            "disabled", "enabled"})


def _effective(c: dict, pod: dict | None, key: str) -> Any:
    """A securityContext field as the kubelet applies it: the container's, else the pod's."""
    value = (c.get("securityContext") or {}).get(key)
    return value if value is not None else (as_map(pod).get("securityContext") or {}).get(key)


def _named_secret(name: str, value: str) -> bool:
    """A literal value of a variable named like a secret, unless the name or value says it is a setting."""
    return (bool(_SENSITIVE_NAME.search(name)) and not _NOT_SECRET_NAME.search(name)
            and value.strip().lower() not in _SWITCH_VALUES and not value.startswith("/"))


def secret_in(value: str) -> str | None:
    for what, rx in _SECRET_RE:
        if rx.search(value):
            return what
    return None


class RunAsNonRoot:
    """Every container runs as a non-root user.

    `runAsNonRoot: true` (on the container or the pod) makes the kubelet refuse to start a
    container whose image would run as root; a non-zero `runAsUser` also passes.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - {name: api, image: ghcr.io/acme/api:1.0}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
      - {name: api, image: ghcr.io/acme/api:1.0}
    ```
    """

    ID = "run-as-non-root"
    DESCRIPTION = "containers run as a non-root user"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        pod, _ = pod_spec(res)
        for c, path in containers(res):
            non_root, user = _effective(c, pod, "runAsNonRoot"), _effective(c, pod, "runAsUser")
            if non_root is False or user == 0 or (non_root is not True and not (isinstance(user, int) and user > 0)):
                yield Finding.about(res, RunAsNonRoot.ID, ctx.severity, f"container {c.get('name')!r} may run as "
                                    "root", path=f"{path}.securityContext.runAsNonRoot",
                                    hint="set securityContext.runAsNonRoot: true on the pod or container")


class HighUserId:
    """Containers run with a user and group id of at least `min` (default 10000).

    Low ids may collide with users on the node that own files or privileges there; a high id set
    explicitly keeps an escaped process harmless.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      securityContext: {runAsUser: 1000, runAsGroup: 1000}
      containers:
      - {name: api, image: ghcr.io/acme/api:1.0}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      securityContext: {runAsUser: 10001, runAsGroup: 10001}
      containers:
      - {name: api, image: ghcr.io/acme/api:1.0}
    ```
    """

    ID = "high-user-id"
    DESCRIPTION = "containers run with user and group ids of at least `min`"
    SEVERITY = "warning"
    KINDS = WORKLOAD_KINDS
    OPTIONS = {"min": 10000}

    @staticmethod
    def check(res, ctx):
        pod, _ = pod_spec(res)
        minimum = ctx.options.get("min", 10000)
        if is_windows(res):
            return  # user ids are Linux-only fields; the API refuses them on Windows pods
        for c, path in containers(res):
            for key in ("runAsUser", "runAsGroup"):
                value = _effective(c, pod, key)
                if not isinstance(value, int) or value < minimum:
                    yield Finding.about(res, HighUserId.ID, ctx.severity, f"container {c.get('name')!r}: {key} "
                                        f"is {value if value is not None else 'unset'}, below {minimum}",
                                        path=f"{path}.securityContext.{key}")


class SeccompProfile:
    """Every container runs under a seccomp profile (`RuntimeDefault` or `Localhost`).

    Seccomp blocks the rarely needed system calls most container escapes use.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - {name: api, image: ghcr.io/acme/api:1.0}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      securityContext: {seccompProfile: {type: RuntimeDefault}}
      containers:
      - {name: api, image: ghcr.io/acme/api:1.0}
    ```
    """

    ID = "seccomp-profile"
    DESCRIPTION = "containers run under the RuntimeDefault or a Localhost seccomp profile"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        pod, _ = pod_spec(res)
        if is_windows(res):
            return  # seccomp is Linux-only; the API refuses it on Windows pods
        for c, path in containers(res):
            profile = _effective(c, pod, "seccompProfile") or {}
            if profile.get("type") not in ("RuntimeDefault", "Localhost"):
                yield Finding.about(res, SeccompProfile.ID, ctx.severity, f"container {c.get('name')!r} runs "
                                    "without a seccomp profile", path=f"{path}.securityContext.seccompProfile",
                                    hint="set securityContext.seccompProfile.type: RuntimeDefault on the pod")


class HostPath:
    """Pods mount no hostPath volumes (except paths listed in `allowed`, globs allowed).

    A hostPath gives the container the node's files: the container runtime socket, kubelet
    credentials, other pods' data.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: agent}
    spec:
      containers: [{name: agent, image: ghcr.io/acme/agent:1.0}]
      volumes:
      - {name: docker, hostPath: {path: /var/run/docker.sock}}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: agent}
    spec:
      containers: [{name: agent, image: ghcr.io/acme/agent:1.0}]
      volumes:
      - {name: scratch, emptyDir: {}}
    ```
    """

    ID = "host-path"
    DESCRIPTION = "no hostPath volumes"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS
    OPTIONS: dict[str, Any] = {"allowed": []}

    @staticmethod
    def check(res, ctx):
        pod, base = pod_spec(res)
        allowed = ctx.options.get("allowed") or []
        for i, volume in items(as_map(pod).get("volumes")):
            host = volume.get("hostPath")
            if isinstance(host, dict) and not any(fnmatch.fnmatchcase(str(host.get("path")), g) for g in allowed):
                yield Finding.about(res, HostPath.ID, ctx.severity, f"volume {volume.get('name')!r} mounts the "
                                    f"node's {host.get('path')}", path=f"{base}.volumes[{i}].hostPath")


class ServiceAccountToken:
    """Pods do not mount a service-account token unless they say they need one.

    Most applications never call the Kubernetes API; a mounted token lets an attacker who gets in
    do so. Set `automountServiceAccountToken: false` on the pod or its ServiceAccount; a pod that
    needs the token sets it to `true` explicitly.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: api}
    automountServiceAccountToken: false
    ```
    """

    ID = "service-account-token"
    DESCRIPTION = "service-account tokens are mounted only when asked for"
    SEVERITY = "warning"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        pod, base = pod_spec(res)
        if pod is None or pod.get("automountServiceAccountToken") is not None:
            return
        account = ctx.find("ServiceAccount", pod.get("serviceAccountName") or "default", res.namespace)
        if account is None or account.obj.get("automountServiceAccountToken") is not False:
            yield Finding.about(res, ServiceAccountToken.ID, ctx.severity, "the service-account token is mounted "
                                "without being asked for", path=f"{base}.automountServiceAccountToken",
                                hint="set automountServiceAccountToken: false (or true if the pod calls the API)")


class SecretData:
    """No Secret with data is committed to the repository.

    Anything in Git is readable by everyone with the repository, forever. Reference Secrets made
    by a secret manager (External Secrets, Sealed Secrets, Vault), and commit those objects instead.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Secret
    metadata: {name: db}
    stringData: {password: hunter2}
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: db}
    data: {host: db.internal}
    ```
    """

    ID = "secret-data"
    DESCRIPTION = "no plaintext Secret data in the repository"
    SEVERITY = "error"
    KINDS = ("Secret",)

    @staticmethod
    def check(res, ctx):
        if res.kind == "Secret" and res.api_version == "v1":
            for key in ("data", "stringData"):
                if res.obj.get(key):
                    yield Finding.about(res, SecretData.ID, ctx.severity, f"Secret carries {key} in the repository",
                                        path=key, hint="create it with a secret manager and reference it by name")


class SecretLiterals:
    """No secret-looking literal in env values or ConfigMap data.

    Flags values shaped like access keys, tokens or private keys, and literal values of variables
    named like secrets (`*_PASSWORD`, `*_TOKEN`, `API_KEY`, ...). Use `valueFrom.secretKeyRef`.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        env: [{name: AWS_ACCESS_KEY_ID, value: AKIAIOSFODNN7EXAMPLE}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        env:
        - name: AWS_ACCESS_KEY_ID
          valueFrom: {secretKeyRef: {name: aws, key: access-key-id}}
    ```
    """

    ID = "secret-literals"
    DESCRIPTION = "no secret-looking literals in env values or ConfigMaps"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS + ("ConfigMap",)

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            for i, var in items(c.get("env")):
                value, name = var.get("value"), str(var.get("name", ""))
                if not isinstance(value, str) or not value:
                    continue
                what = secret_in(value) or ("a secret by its name" if _named_secret(name, value) else None)
                if what:
                    yield Finding.about(res, SecretLiterals.ID, ctx.severity, f"container {c.get('name')!r}: env "
                                        f"{name} holds {what} as a literal", path=f"{path}.env[{i}].value",
                                        hint="use valueFrom.secretKeyRef")
        if res.kind == "ConfigMap":
            for key, value in sorted(as_map(res.obj.get("data")).items()):
                what = secret_in(value) if isinstance(value, str) else None
                if what:
                    yield Finding.about(res, SecretLiterals.ID, ctx.severity, f"ConfigMap key {key} holds {what}",
                                        path=format_path(["data", key]), hint="move it to a Secret made by a secret manager")


class UnsafeSysctls:
    """Pods set only namespaced, safe sysctls (plus those listed in `allowed`).

    Unsafe sysctls change the whole node's kernel, affecting every pod on it.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      securityContext: {sysctls: [{name: kernel.msgmax, value: "65536"}]}
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      securityContext: {sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65535"}]}
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```
    """

    ID = "unsafe-sysctls"
    DESCRIPTION = "only safe sysctls"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS
    OPTIONS: dict[str, Any] = {"allowed": []}

    @staticmethod
    def check(res, ctx):
        pod, base = pod_spec(res)
        safe = set(SAFE_SYSCTLS) | set(ctx.options.get("allowed") or [])
        for i, sysctl in items(as_map(as_map(pod).get("securityContext")).get("sysctls")):
            if sysctl.get("name") not in safe:
                yield Finding.about(res, UnsafeSysctls.ID, ctx.severity, f"unsafe sysctl {sysctl.get('name')}",
                                    path=f"{base}.securityContext.sysctls[{i}]")


RULES = [RunAsNonRoot, HighUserId, SeccompProfile, HostPath, ServiceAccountToken, SecretData, SecretLiterals,
         UnsafeSysctls]
