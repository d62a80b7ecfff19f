"""application-empty-path: an Argo CD Application whose source path holds no manifests.

Argo CD syncs an empty folder as "nothing to deploy": with automated prune it deletes everything
the app deployed before. Usually the path has a typo or the app's folder was renamed. The path is
looked up among the manifests being checked (their files), then on disk under `root`.

Options: `root` (default "."): folder the Application paths are relative to on disk;
`repo_path` (default ""): the project's folder inside the repository, stripped from paths;
`repo_urls` (default []): check only Applications reading these repositories (empty: all).

Fails (nothing in the checked manifests, nor on disk, lives under `generated/dev/web-apy`):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-dev, namespace: argocd}
spec:
  source: {repoURL: https://github.com/acme/gitops.git, path: generated/dev/web-apy}
  destination: {server: https://kubernetes.default.svc, namespace: web}
```

Passes (the app's manifests are under its path):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-dev, namespace: argocd}
spec:
  source: {repoURL: https://github.com/acme/gitops.git, path: generated/dev/web-api}
  destination: {server: https://kubernetes.default.svc, namespace: web}
---
# file: generated/dev/web-api/configmap-web-api.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: web-api, namespace: web}
data: {mode: prod}
```
"""
from __future__ import annotations

import os
from typing import Any, Iterator

from ....findings import Found
from ...api import Context
from .common import git_sources, is_application, under

ID = "application-empty-path"
TITLE = "An Argo CD Application points at a path without manifests"
SEVERITY = "error"
REMEDIATION = "point the path at the app's folder under generated/"
OPTIONS: dict[str, Any] = {"root": ".", "repo_path": "", "repo_urls": []}
SCOPE = "set"
# The examples' manifests are the whole world: nothing on disk.
EXAMPLE_CONTEXT = {"options": {"root": "/nonexistent"}}


def _on_disk(root: str, path: str, recurse: bool) -> bool:
    folder = os.path.join(root, path)
    if not os.path.isdir(folder):
        return False
    for _current, _dirs, files in os.walk(folder):
        if any(f.endswith((".yaml", ".yml", ".json")) and f != "kustomization.yaml" for f in files):
            return True
        if not recurse:
            return False
    return False


def check(ctx: Context) -> Iterator[Found]:
    opts = ctx.options
    for res in ctx.resources:
        if not is_application(res):
            continue
        for src, json_path, path, recurse in git_sources(res, opts["repo_path"], tuple(opts["repo_urls"])):
            if under(ctx.resources, path, recurse) or _on_disk(opts["root"], path, recurse):
                continue
            yield Found(res, f"{res.ref()}: source path {src.get('path')!r} holds no manifests; with automated "
                        "prune Argo CD would delete what the app deployed",
                        path=f"{json_path}.path", hint="point the path at the app's folder under generated/")
