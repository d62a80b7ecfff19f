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
from __future__ import annotations

from ....findings import Found
from ....manifests.reader import format_path
from ...api import WORKLOAD_KINDS, as_map, containers, items
from .common import _named_secret, secret_in

ID = "secret-literals"
TITLE = "no secret-looking literals in env values or ConfigMaps"
SEVERITY = "error"
REMEDIATION = "use valueFrom.secretKeyRef"
KINDS = WORKLOAD_KINDS + ("ConfigMap",)


def check(res, ctx):
    for c, path in containers(res):
        for i, var in items(c.get("env")):
            value, name = var.get("value"), str(var.get("name", ""))
            if not isinstance(value, str) or not value:
                continue
            what = secret_in(value) or ("a secret by its name" if _named_secret(name, value) else None)
            if what:
                yield Found(res, f"container {c.get('name')!r}: env "
                            f"{name} holds {what} as a literal", path=f"{path}.env[{i}].value",
                            hint="use valueFrom.secretKeyRef")
    if res.kind == "ConfigMap":
        for key, value in sorted(as_map(res.obj.get("data")).items()):
            what = secret_in(value) if isinstance(value, str) else None
            if what:
                yield Found(res, f"ConfigMap key {key} holds {what}",
                            path=format_path(["data", key]), hint="move it to a Secret made by a secret manager")
