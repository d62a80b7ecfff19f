"""Images: every pod runs an image that is pinned, and comes from a registry you trust."""
from __future__ import annotations

from typing import Any

from ...findings import Finding
from ..api import WORKLOAD_KINDS, containers


def split_image(image: str) -> tuple[str, str, str]:
    """(repository, tag, digest) of an image reference; tag and digest may be empty."""
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:], digest
    return name, "", digest


class ImageTag:
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

    ID = "image-tag"
    DESCRIPTION = "images are pinned to a tag other than latest, or a digest"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            image = c.get("image")
            if not isinstance(image, str) or not image:
                yield Finding.about(res, ImageTag.ID, ctx.severity, f"container {c.get('name')!r} names no image",
                                    path=f"{path}.image")
                continue
            _, tag, digest = split_image(image)
            if not digest and tag in ("", "latest"):
                yield Finding.about(res, ImageTag.ID, ctx.severity, f"container {c.get('name')!r} runs {image}, "
                                    "which names no version", path=f"{path}.image",
                                    hint="use a version tag such as :1.4.2, or a digest")


class ImageDigest:
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

    ID = "image-digest"
    DESCRIPTION = "images are pinned by digest"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            image = c.get("image")
            if isinstance(image, str) and not split_image(image)[2].startswith("sha256:"):
                yield Finding.about(res, ImageDigest.ID, ctx.severity, f"container {c.get('name')!r} runs {image} "
                                    "without a digest", path=f"{path}.image", hint="append @sha256:<digest>")


class AllowedRegistries:
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

    ID = "allowed-registries"
    DESCRIPTION = "images come from the allowed registries"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS
    OPTIONS: dict[str, Any] = {"registries": []}
    EXAMPLE_CONTEXT = {"options": {"registries": ["ghcr.io/acme/"]}}

    @staticmethod
    def check(res, ctx):
        allowed = ctx.options.get("registries") or []
        if not allowed:
            return
        for c, path in containers(res):
            image = c.get("image")
            if isinstance(image, str) and not any(image.startswith(prefix) for prefix in allowed):
                yield Finding.about(res, AllowedRegistries.ID, ctx.severity, f"container {c.get('name')!r} runs "
                                    f"{image}, not from {', '.join(allowed)}", path=f"{path}.image")


RULES = [ImageTag, ImageDigest, AllowedRegistries]
