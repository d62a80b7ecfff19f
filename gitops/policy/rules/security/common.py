"""What the security rules share."""
from __future__ import annotations

import re
from typing import Any

from ...api import as_map

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


# Text each pattern cannot match without (one of them): checked first, at C speed, so the regular
# expressions run only on the few values that could hold a secret (ConfigMaps hold whole dashboards).
_NEEDS = {
    "an AWS access key id": ("AKIA", "ASIA"),
    "a private key": ("PRIVATE KEY-----",),
    "a GitHub token": ("gh",),
    "a GitLab token": ("glpat-",),
    "a Slack token": ("xox",),
    "a Google API key": ("AIza",),
    "a Stripe live key": ("k_live_",),
    "a JSON web token": ("eyJ",),
    "a password in a URL": ("://",),
}
_SECRET_RE = [(what, re.compile(rx), _NEEDS[what]) for what, rx in SECRET_PATTERNS.items()]


_SENSITIVE_NAME = re.compile(r"(?i)(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|"
                             r"SECRET_?KEY|CREDENTIALS?)$")


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
    for what, rx, needs in _SECRET_RE:
        if any(part in value for part in needs) and rx.search(value):
            return what
    return None
