"""ConfigMaps, Secrets, PersistentVolumeClaims and ServiceAccounts a pod uses exist in the set,
or are declared external.

A missing one keeps the pod from starting (`CreateContainerConfigError`, pending volumes).
Objects made outside this repository (by a secret manager, by hand) are listed in `external` as
`Kind/name` globs, e.g. `Secret/web-api-*`. References marked `optional: true` are skipped, and
so are Secrets the workload's `gitops.dev/secret-sources` annotation says an ExternalSecret or
SealedSecret makes (specs say so with `FromSecret(..., provider="ExternalSecret")`).

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    envFrom: [{configMapRef: {name: api-config}}]
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
    envFrom: [{configMapRef: {name: api-config}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config}
data: {LOG_LEVEL: info}
```
"""
from __future__ import annotations

from typing import Any

from ....findings import Found
from ...api import (
    WORKLOAD_KINDS,
)
from .common import _external, _provided_secrets, _secrets_made_in_cluster, pod_refs

ID = "pod-references"
TITLE = "ConfigMaps, Secrets, PVCs and ServiceAccounts used by pods exist (or are external)"
SEVERITY = "error"
REMEDIATION = "add the referenced object, or declare it external in the rule's `external` option"
KINDS = WORKLOAD_KINDS
OPTIONS: dict[str, Any] = {"external": []}


def check(res, ctx):
    provided = _provided_secrets(res)
    made: set[str] | None = None
    for kind, name, path in pod_refs(res):
        if kind == "Secret" and ctx.find(kind, name, res.namespace) is None:
            made = _secrets_made_in_cluster(ctx, res.namespace) if made is None else made
            if name in made:
                continue  # created at run time by a workload of the set
        if kind == "Secret" and name in provided:
            continue  # made in the cluster by the ExternalSecret/SealedSecret the workload names
        if ctx.find(kind, name, res.namespace) is None and not _external(ctx, kind, name):
            yield Found(res, f"uses {kind} {name!r}, which is not in the "
                        "set", path=path, hint=f"add it, or declare it external: {kind}/{name}")
