"""Every image is pinned by digest (off in `recommended`; on in production in `strict`).

A tag can be moved to other content; a digest cannot. `repo:tag@sha256:...` keeps the tag
readable.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers: [{name: api, image: "ghcr.io/acme/api:1.4.2"}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: "ghcr.io/acme/api:1.4.2@sha256:3b1f3d5a8c0e7f2a4b6c8d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c"
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers
from .common import split_image

ID = "image-digest"
TITLE = "images are pinned by digest"
SEVERITY = "error"
REMEDIATION = "append @sha256:<digest>"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res):
        image = c.get("image")
        if isinstance(image, str) and not split_image(image)[2].startswith("sha256:"):
            yield Found(res, f"container {c.get('name')!r} runs {image} "
                        "without a digest", path=f"{path}.image", hint="append @sha256:<digest>")
