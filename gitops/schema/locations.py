"""Extra schema locations in kubeconform's template syntax, local paths only.

A location is a path template such as `catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
or a plain folder, read as `<folder>/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/
{{ .ResourceKind }}{{ .KindSuffix }}.json` as kubeconform does. Variables:
ResourceKind (lower-case kind), ResourceAPIVersion (version part), Group (API group, empty for core),
KindSuffix (-<first group label>-<version>), NormalizedKubernetesVersion (v1.33.0), StrictSuffix.
"""
from __future__ import annotations

import os
import re

from ..errors import InputError

_VAR = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")
KNOWN = ("ResourceKind", "ResourceAPIVersion", "Group", "KindSuffix", "NormalizedKubernetesVersion", "StrictSuffix")
FOLDER_TEMPLATE = "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"


def check_location(location: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*://", location, re.I):
        raise InputError(f"schema location {location!r}: only local paths are supported (no network at run time)")
    unknown = sorted(set(_VAR.findall(location)) - set(KNOWN))
    if unknown:
        raise InputError(f"schema location {location!r}: unknown template variable(s) {', '.join(unknown)}; "
                         f"known: {', '.join(KNOWN)}")
    if not _VAR.search(location):
        location = os.path.join(location, FOLDER_TEMPLATE)
    return location


def variables(api_version: str, kind: str, kubernetes_version: str, strict: bool) -> dict[str, str]:
    group, _, version = api_version.rpartition("/")
    suffix = "-" + (group.split(".")[0].lower() + "-" if group else "") + version.lower()
    return {"ResourceKind": kind.lower(), "ResourceAPIVersion": version, "Group": group,
            "KindSuffix": suffix, "NormalizedKubernetesVersion": f"v{kubernetes_version}.0",
            "StrictSuffix": "-strict" if strict else ""}


def expand(location: str, values: dict[str, str]) -> str:
    return _VAR.sub(lambda m: values[m.group(1)], location)
