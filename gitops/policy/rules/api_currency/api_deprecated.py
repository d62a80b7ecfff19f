"""No object uses an apiVersion deprecated (not yet removed) in the target Kubernetes version.

Deprecated versions still work but will be removed; moving early avoids a forced migration
during a cluster upgrade.

Fails:

```yaml
apiVersion: v1
kind: Endpoints
metadata: {name: legacy-db}
subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 5432}]}]
```

Passes:

```yaml
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: legacy-db}
addressType: IPv4
endpoints: [{addresses: [10.0.0.5]}]
ports: [{port: 5432}]
```
"""
from __future__ import annotations

from ....findings import Found
from ....schema import deprecations
from .common import _minor, lifecycle

ID = deprecations.DEPRECATED
TITLE = "no apiVersion deprecated in the target Kubernetes version"
SEVERITY = deprecations.SEVERITY[ID]  # the schema pass reports the same facts
REMEDIATION = "move to the replacement apiVersion (and any fields that changed with it) before the removal release"


def check(res, ctx):
    known = lifecycle(res.api_version, res.kind)
    target = _minor(ctx.kubernetes_version)
    if known and target >= known.deprecated_in and not (known.removed_in is not None and target >= known.removed_in):
        yield Found(res, f"{res.api_version} {res.kind} is deprecated "
                    f"since Kubernetes 1.{known.deprecated_in}", path="apiVersion",
                    hint=f"use {known.replacement}")
