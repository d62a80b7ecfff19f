"""application-overlap: two Argo CD Applications manage the same resource.

Each Application then sees the other's version as drift: with self-heal they overwrite each other
on every sync, and pruning one app deletes the object the other still wants. Found from the
manifests under each Application's source path (among those being checked) and from two
Applications reading the same repository path at the same revision.

Options: `repo_path` (default ""): the project's folder inside the repository, stripped from paths.

Fails (two Applications read the same folder):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-dev, namespace: argocd}
spec:
  source: {repoURL: https://github.com/acme/gitops.git, path: generated/dev/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: web}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-copy, namespace: argocd}
spec:
  source: {repoURL: https://github.com/acme/gitops.git, path: generated/dev/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: web}
```

Passes (each Application with its own folder):

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-dev, namespace: argocd}
spec:
  source: {repoURL: https://github.com/acme/gitops.git, path: generated/dev/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: web}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: api-dev, namespace: argocd}
spec:
  source: {repoURL: https://github.com/acme/gitops.git, path: generated/dev/api, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: api}
```
"""
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ...api import Context, as_map
from .common import git_sources, is_application, under

ID = "application-overlap"
TITLE = "Two Argo CD Applications manage the same resource"
SEVERITY = "error"
REMEDIATION = "give every resource exactly one Application"
OPTIONS: dict[str, Any] = {"repo_path": ""}
SCOPE = "set"


def check(ctx: Context) -> Iterator[Found]:
    prefix = ctx.options["repo_path"]
    apps = sorted((r for r in ctx.resources if is_application(r)), key=lambda r: (r.namespace, r.name))
    owner: dict[tuple, str] = {}  # managed resource or source -> first Application that claims it
    for app in apps:
        spec = as_map(app.obj.get("spec"))
        dest = as_map(spec.get("destination"))
        default_ns = dest.get("namespace") or ""
        reported: set[str] = set()
        for src, json_path, path, recurse in git_sources(app, prefix):
            claims: list[tuple[tuple, str]] = [(("source", src.get("repoURL"), path, src.get("targetRevision") or "HEAD"), f"source path {path!r}")]
            for res in under(ctx.resources, path, recurse):
                claims.append((("object", res.group, res.kind, res.namespace or default_ns, res.name), res.ref()))
            for key, what in claims:
                first = owner.setdefault(key, app.name)
                if first != app.name and first not in reported:
                    reported.add(first)
                    yield Found(app, f"{app.ref()} and Application {first} both manage {what}; they will "
                                "overwrite each other, and pruning one deletes what the other deploys",
                                path=f"{json_path}.path", hint="give every resource exactly one Application")
