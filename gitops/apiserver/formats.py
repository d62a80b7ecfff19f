"""String formats the API server checks (k8s.io/apimachinery/pkg/util/validation), compiled once.

Each `*_errors(value)` returns the API server's error texts for a bad value (empty when valid), so
the rule table can say exactly what `kubectl apply` would print. They are cached: the same label keys
and names recur across thousands of resources. Callers must not modify the returned lists.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Per function. Recurring values (label keys, namespaces, common values) stay in; unique names
# cycle through. Ten caches of 8,192 held a few MB per process at 50,000 resources.
CACHED = 1024

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL = re.compile(_LABEL)
DNS1123_SUBDOMAIN = re.compile(rf"{_LABEL}(\.{_LABEL})*")
DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
QUALIFIED_NAME_PART = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
IANA_SVC_NAME = re.compile(r"[-a-z0-9]+")
HAS_LETTER = re.compile(r"[a-z]")
ENV_VAR_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
PERCENT = re.compile(r"[0-9]+%")
QUANTITY = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?")
C_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

LABEL_MAX = 63
SUBDOMAIN_MAX = 253
ANNOTATIONS_MAX_BYTES = 256 * 1024
CONFIG_MAX_BYTES = 1024 * 1024

# Messages as apimachinery words them (regexError): what `kubectl apply` prints after the value.
MSG_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
             "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
MSG_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
MSG_DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
               "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
               "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
MSG_NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                 "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                 "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
MSG_LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                   "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                   "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
MSG_ENV_STRICT = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
                  "'.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
                  "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
MSG_ENV_RELAXED = "a valid environment variable name must consist only of printable ASCII characters other than '='"
MSG_CONFIG_KEY = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
                  "or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
MSG_PERCENT = ("a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', "
               "regex used for validation is '[0-9]+%')")
MSG_QUANTITY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


def too_long(limit: int) -> str:
    return f"must be no more than {limit} characters"


@lru_cache(maxsize=CACHED)
def dns1123_label_errors(value: str) -> list[str]:
    errs = [too_long(LABEL_MAX)] if len(value) > LABEL_MAX else []
    if not DNS1123_LABEL.fullmatch(value):
        errs.append(MSG_LABEL)
    return errs


@lru_cache(maxsize=CACHED)
def dns1123_subdomain_errors(value: str) -> list[str]:
    errs = [too_long(SUBDOMAIN_MAX)] if len(value) > SUBDOMAIN_MAX else []
    if not DNS1123_SUBDOMAIN.fullmatch(value):
        errs.append(MSG_SUBDOMAIN)
    return errs


MSG_WILDCARD = ("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
                "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
                "character (e.g. '*.example.com', regex used for validation is "
                "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


@lru_cache(maxsize=CACHED)
def host_errors(value: str) -> list[str]:
    """Ingress hosts: a DNS subdomain, or `*.` then one (the wildcard is a whole first label)."""
    if "*" not in value:
        return dns1123_subdomain_errors(value)
    errs = [too_long(SUBDOMAIN_MAX)] if len(value) > SUBDOMAIN_MAX else []
    if not (value.startswith("*.") and DNS1123_SUBDOMAIN.fullmatch(value[2:])):
        errs.append(MSG_WILDCARD)
    return errs


@lru_cache(maxsize=CACHED)
def dns1035_label_errors(value: str) -> list[str]:
    errs = [too_long(LABEL_MAX)] if len(value) > LABEL_MAX else []
    if not DNS1035_LABEL.fullmatch(value):
        errs.append(MSG_DNS1035)
    return errs


def path_segment_name_errors(value: str) -> list[str]:
    """RBAC object names: anything usable as one URL path segment (so `system:aggregate-to-view` is fine)."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    for bad in ("/", "%"):
        if bad in value:
            return [f"may not contain '{bad}'"]
    return []


@lru_cache(maxsize=CACHED)
def qualified_name_errors(value: str) -> list[str]:
    """Label and annotation keys: an optional DNS subdomain prefix, a slash, a 63-character name."""
    prefix, slash, name = value.rpartition("/") if "/" in value else ("", "", value)
    if slash and value.count("/") > 1:
        return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start "
                "and end with an alphanumeric character with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName')"]
    errs = []
    if slash:
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend(f"prefix part {e}" for e in dns1123_subdomain_errors(prefix))
    if not name:
        errs.append("name part must be non-empty")
    else:
        if len(name) > LABEL_MAX:
            errs.append(f"name part {too_long(LABEL_MAX)}")
        if not QUALIFIED_NAME_PART.fullmatch(name):
            errs.append(MSG_NAME_PART)
    return errs


@lru_cache(maxsize=CACHED)
def label_value_errors(value: str) -> list[str]:
    errs = [too_long(LABEL_MAX)] if len(value) > LABEL_MAX else []
    if not LABEL_VALUE.fullmatch(value):
        errs.append(MSG_LABEL_VALUE)
    return errs


@lru_cache(maxsize=CACHED)
def iana_svc_name_errors(value: str) -> list[str]:
    """Container port names (and named target ports): lower-case, at most 15 characters, one letter."""
    errs = []
    if len(value) > 15:
        errs.append(too_long(15))
    if not IANA_SVC_NAME.fullmatch(value):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if "--" in value:
        errs.append("must not contain consecutive hyphens")
    if not HAS_LETTER.search(value):
        errs.append("must contain at least one letter (a-z)")
    if value.startswith("-") or value.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs


@lru_cache(maxsize=CACHED)
def env_var_name_errors_strict(value: str) -> list[str]:
    return [] if ENV_VAR_NAME.fullmatch(value) else [MSG_ENV_STRICT]


@lru_cache(maxsize=CACHED)
def env_var_name_errors_relaxed(value: str) -> list[str]:
    ok = value and all(" " <= ch <= "~" and ch != "=" for ch in value)
    return [] if ok else [MSG_ENV_RELAXED]


@lru_cache(maxsize=CACHED)
def config_key_errors(value: str) -> list[str]:
    errs = [too_long(SUBDOMAIN_MAX)] if len(value) > SUBDOMAIN_MAX else []
    if not CONFIG_KEY.fullmatch(value):
        errs.append(MSG_CONFIG_KEY)
    elif value in (".", ".."):
        errs.append(f"must not be '{value}'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def base64_error(value: str) -> str | None:
    """The error Go's encoding/json gives for a []byte field that is not padded standard base64.

    Like Go's decoder, line breaks are skipped; unlike Python's, extra padding is an error.
    """
    text = value.replace("\r", "").replace("\n", "") if ("\n" in value or "\r" in value) else value
    if BASE64.fullmatch(text):
        return None
    return f"illegal base64 data at input byte {_first_bad_base64_byte(text)}"


def _first_bad_base64_byte(text: str) -> int:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    for i, ch in enumerate(text):
        if ch not in alphabet:
            return i
    return len(text) - len(text) % 4


_SUFFIX: dict[str, Decimal | int] = {"": 1, "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "k": 10**3, "M": 10**6,
           "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30,
           "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def parse_quantity(value: object) -> Decimal | None:
    """A resource quantity (`500m`, `1.5Gi`, `1e3`, or a JSON number) as a Decimal; None if invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and value not in (float("inf"), float("-inf")) else None
    if not isinstance(value, str) or len(value) > 64 or not QUANTITY.fullmatch(value):
        return None
    number = value.rstrip("KMGTPEinumk")
    suffix = value[len(number):]
    try:
        if suffix in _SUFFIX:
            return Decimal(number) * Decimal(_SUFFIX[suffix])
        return Decimal(value)  # exponent form, e.g. 1e3
    except (InvalidOperation, ValueError):
        return None


def format_quantity(value: object) -> str:
    return value if isinstance(value, str) else repr(value)
