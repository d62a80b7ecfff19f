"""Parsing and checking of the small values a spec is made of: names, images, quantities."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
ENV_VAR_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
LABEL_KEY_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def check_dns_label(value: object, max_len: int = 63) -> str | None:
    """None when `value` is a DNS-1123 label, else what is wrong with it."""
    if not isinstance(value, str):
        return f"expected a string, got {type(value).__name__} {value!r}"
    if not value or len(value) > max_len or not DNS1123_LABEL.match(value):
        return (f"got {value!r}; expected a DNS-1123 label: 1 to {max_len} lower-case letters, digits "
                "or '-', starting and ending with a letter or digit")
    return None


def check_dns_subdomain(value: object) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {type(value).__name__} {value!r}"
    if not value or len(value) > 253 or not all(DNS1123_LABEL.match(p) for p in value.split(".")):
        return (f"got {value!r}; expected a DNS-1123 subdomain: dot-separated lower-case labels, "
                "253 characters at most")
    return None


def check_label_key(key: object) -> str | None:
    if not isinstance(key, str) or not key:
        return f"label key {key!r} must be a non-empty string"
    prefix, _, name = key.rpartition("/")
    if prefix and check_dns_subdomain(prefix):
        return f"label key {key!r}: prefix {prefix!r} is not a DNS-1123 subdomain"
    if not name or len(name) > 63 or not LABEL_KEY_NAME.match(name):
        return f"label key {key!r}: name part must be 1-63 alphanumerics, '-', '_' or '.'"
    return None


def check_label_value(value: object) -> str | None:
    if not isinstance(value, str):
        return f"label value {value!r} must be a string"
    if len(value) > 63 or not LABEL_VALUE.match(value):
        return f"label value {value!r}: at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric"
    return None


# --- images ---------------------------------------------------------------------------------

_IMAGE = re.compile(
    r"^(?:(?P<registry>[a-zA-Z0-9.-]+(?::[0-9]+)?|localhost(?::[0-9]+)?)/)?"
    r"(?P<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}))?$"
)


@dataclass(frozen=True)
class Image:
    registry: str | None
    repository: str
    tag: str | None
    digest: str | None

    def __str__(self) -> str:
        out = f"{self.registry}/{self.repository}" if self.registry else self.repository
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out


def parse_image(ref: object) -> Image:
    """Parse `registry/repo:tag@digest`; raise ValueError with what is allowed."""
    if not isinstance(ref, str) or not ref:
        raise ValueError(f"expected an image reference string, got {ref!r}")
    m = _IMAGE.match(ref)
    if not m:
        raise ValueError(f"got {ref!r}; expected an image reference like registry.example.com/team/app:1.2.3 "
                         "or repo@sha256:<64 hex digits>")
    if not m.group("tag") and not m.group("digest"):
        raise ValueError(f"got {ref!r}; pin the image with a tag (:1.2.3) or a digest (@sha256:...), "
                         "an untagged image means :latest")
    registry, repository = m.group("registry"), m.group("repository")
    # 'team/app' has no registry: a first part is a registry only when it looks like a host.
    if registry and not ("." in registry or ":" in registry or registry.startswith("localhost")):
        registry, repository = None, f"{registry}/{repository}"
    return Image(registry, repository, m.group("tag"), m.group("digest"))


# --- quantities -------------------------------------------------------------------------------

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
            "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
            "P": Decimal("1e15"), "E": Decimal("1e18")}
_QUANTITY = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][-+]?[0-9]+)?$")


def parse_quantity(value: object) -> Decimal:
    """The value of a Kubernetes quantity ("250m", "1.5Gi", 2) as a Decimal; ValueError if malformed."""
    if isinstance(value, bool):
        raise ValueError(f"expected a quantity, got {value!r}")
    if isinstance(value, (int, float)):
        value = repr(value) if isinstance(value, float) else str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a quantity, got {value!r}")
    m = _QUANTITY.match(value.strip())
    if not m:
        raise ValueError(f"got {value!r}; expected a quantity such as 250m, 0.5, 512Mi or 2Gi")
    try:
        num = Decimal(m.group("num"))
    except InvalidOperation:
        raise ValueError(f"got {value!r}; expected a quantity") from None
    suffix = m.group("suffix") or ""
    if suffix in _BINARY:
        return num * _BINARY[suffix]
    if suffix in _DECIMAL:
        return num * _DECIMAL[suffix]
    return num * (Decimal(10) ** int(suffix[1:]))


def normalize_cpu(value: object) -> str:
    """CPU in the canonical form: whole cores as "2", else millicores as "250m"."""
    amount = parse_quantity(value)
    if amount <= 0:
        raise ValueError(f"got {value!r}; CPU must be greater than zero")
    milli = amount * 1000
    if milli != milli.to_integral_value():
        raise ValueError(f"got {value!r}; CPU precision is one millicore (1m)")
    whole = int(milli)
    return str(whole // 1000) if whole % 1000 == 0 else f"{whole}m"


def normalize_memory(value: object) -> str:
    """Memory in bytes written with the largest exact binary suffix ("1Gi", "384Mi")."""
    amount = parse_quantity(value)
    if amount <= 0 or amount != amount.to_integral_value():
        raise ValueError(f"got {value!r}; memory must be a positive whole number of bytes, e.g. 512Mi")
    n = int(amount)
    for suffix, size in sorted(_BINARY.items(), key=lambda kv: -kv[1]):
        if n % size == 0:
            return f"{n // size}{suffix}"
    for suffix in ("G", "M", "k"):
        size = int(_DECIMAL[suffix])
        if n % size == 0:
            return f"{n // size}{suffix}"
    return str(n)
