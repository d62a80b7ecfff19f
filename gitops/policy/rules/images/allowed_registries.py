"""Images come from the registries listed in `registries` (prefixes; empty list: any).

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers: [{name: api, image: "docker.io/someone/api:1.0"}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers: [{name: api, image: "ghcr.io/acme/api:1.0"}]
```
"""
from __future__ import annotations

from typing import Any

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers

ID = "allowed-registries"
TITLE = "images come from the allowed registries"
SEVERITY = "error"
REMEDIATION = "pull the image from one of the allowed registries (mirror it there)"
KINDS = WORKLOAD_KINDS
OPTIONS: dict[str, Any] = {"registries": []}
EXAMPLE_CONTEXT = {"options": {"registries": ["ghcr.io/acme/"]}}


def check(res, ctx):
    allowed = ctx.options["registries"] or []
    if not allowed:
        return
    for c, path in containers(res):
        image = c.get("image")
        if isinstance(image, str) and not any(image.startswith(prefix) for prefix in allowed):
            yield Found(res, f"container {c.get('name')!r} runs "
                        f"{image}, not from {', '.join(allowed)}", path=f"{path}.image")
