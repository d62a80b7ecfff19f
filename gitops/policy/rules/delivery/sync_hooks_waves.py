"""sync-hooks-waves: Argo CD hook and wave annotations that will not do what they say.

- `argocd.argoproj.io/hook` must name known hooks (PreSync, Sync, PostSync, SyncFail, PostDelete,
  Skip); an unknown name makes Argo CD treat the object as a hook it never runs.
- `argocd.argoproj.io/hook-delete-policy` must name known policies (HookSucceeded, HookFailed,
  BeforeHookCreation).
- A hook without a delete policy is fine: Argo CD then applies `BeforeHookCreation` (gitops-engine
  `pkg/sync/hook/delete_policy.go`, `DeletePolicies`), so a named hook Job is deleted before the
  next sync re-creates it, and a `generateName` hook gets a fresh name each sync.
- `argocd.argoproj.io/sync-wave` must be an integer (as a string), e.g. "-1" or "3".

Options: none.

Fails:

```yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/sync-wave: "first"}
spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: ghcr.io/acme/migrate:1.0}]}}}
```

Passes:

```yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
    argocd.argoproj.io/sync-wave: "-1"
spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: ghcr.io/acme/migrate:1.0}]}}}
```
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context
from .common import HOOK, HOOK_DELETE_POLICY, SYNC_WAVE, annotations_of, listed

ID = "sync-hooks-waves"
TITLE = "Argo CD hook names, hook delete policies and sync waves must be valid"
SEVERITY = "error"
REMEDIATION = "write a whole number as a string, e.g. \"-1\" or \"2\""
OPTIONS: dict[str, Any] = {}
SCOPE = "resource"

HOOKS = ("PreSync", "Sync", "PostSync", "SyncFail", "PostDelete", "Skip")
DELETE_POLICIES = ("HookSucceeded", "HookFailed", "BeforeHookCreation")
_INTEGER = re.compile(r"^[-+]?[0-9]+$")


def _path(key: str) -> str:
    return f'metadata.annotations["{key}"]'


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    notes = annotations_of(res)
    hooks = listed(notes.get(HOOK))
    for hook in hooks:
        if hook not in HOOKS:
            yield Found(res, f"{res.ref()}: unknown Argo CD hook {hook!r}",
                        path=_path(HOOK), hint=f"use one of {', '.join(HOOKS)}")
    policies = listed(notes.get(HOOK_DELETE_POLICY))
    for policy in policies:
        if policy not in DELETE_POLICIES:
            yield Found(res, f"{res.ref()}: unknown hook delete policy {policy!r}",
                        path=_path(HOOK_DELETE_POLICY), hint=f"use one of {', '.join(DELETE_POLICIES)}")
    if SYNC_WAVE in notes:
        wave = notes[SYNC_WAVE]
        if not isinstance(wave, str) or not _INTEGER.match(wave.strip()):
            yield Found(res, f"{res.ref()}: sync wave {wave!r} is not an integer; Argo CD cannot order it",
                        path=_path(SYNC_WAVE), hint='write a whole number as a string, e.g. "-1" or "2"')
