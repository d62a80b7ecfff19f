"""Every image names a version: a tag other than `latest`, or a digest.

With no tag or `latest`, what runs depends on when each node pulled, and a rollback redeploys
whatever `latest` is now.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers: [{name: api, image: "ghcr.io/acme/api:latest"}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers: [{name: api, image: "ghcr.io/acme/api:1.4.2"}]
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers
from .common import split_image

ID = "image-tag"
TITLE = "images are pinned to a tag other than latest, or a digest"
SEVERITY = "error"
REMEDIATION = "use a version tag such as :1.4.2, or a digest"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res):
        image = c.get("image")
        if not isinstance(image, str) or not image:
            yield Found(res, f"container {c.get('name')!r} names no image",
                        path=f"{path}.image")
            continue
        _, tag, digest = split_image(image)
        if not digest and tag in ("", "latest"):
            yield Found(res, f"container {c.get('name')!r} runs {image}, "
                        "which names no version", path=f"{path}.image",
                        hint="use a version tag such as :1.4.2, or a digest")
