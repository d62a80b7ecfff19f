"""Jobs have activeDeadlineSeconds and ttlSecondsAfterFinished.

Without a deadline a hung Job holds its nodes (and GPUs) forever; without a TTL finished Jobs
and their pods pile up in the namespace. Applies to Jobs and to the Jobs a CronJob makes; a
CronJob needs no TTL, its history limits (3 successful, 1 failed by default) remove old Jobs,
nor does an Argo CD hook Job or a Helm hook with a delete policy: the hook policy removes it,
nor a Job delivered as a run-once Job under GitOps (it is replaced on change:
`argocd.argoproj.io/sync-options: Force=true,Replace=true` or
`kustomize.toolkit.fluxcd.io/force: enabled`): a TTL would make Argo CD self-heal or Flux create
it again and run it again (rule job-rerun-after-ttl, docs/jobs.md).

Fails:
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: i:1}]
```

Passes:
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  activeDeadlineSeconds: 3600
  ttlSecondsAfterFinished: 86400
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: i:1}]
```
"""
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context, as_map
from .common import _job_spec

ID = "job-deadline-and-ttl"
TITLE = "Jobs have activeDeadlineSeconds and ttlSecondsAfterFinished"
SEVERITY = "error"
REMEDIATION = "set activeDeadlineSeconds to the longest a run may take"
OPTIONS: dict[str, Any] = {}
SCOPE = "resource"


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    job, base = _job_spec(res)
    if job is None:
        return
    if not job.get("activeDeadlineSeconds"):
        yield Found(res, "the Job has no activeDeadlineSeconds: a hung "
                    "run holds its nodes forever", path=f"{base}.activeDeadlineSeconds",
                    hint="set activeDeadlineSeconds to the longest a run may take")
    notes = as_map(res.metadata.get("annotations"))
    hook = "argocd.argoproj.io/hook" in notes or "helm.sh/hook-delete-policy" in notes
    options = {o.strip() for o in str(notes.get("argocd.argoproj.io/sync-options") or "").split(",")}
    run_once = {"Force=true", "Replace=true"} <= options or notes.get("kustomize.toolkit.fluxcd.io/force") == "enabled"
    if job.get("ttlSecondsAfterFinished") is None and res.kind == "Job" and not hook and not run_once:
        yield Found(res, "the Job has no ttlSecondsAfterFinished: "
                    "finished Jobs and their pods are never cleaned up", path=f"{base}.ttlSecondsAfterFinished",
                    hint="set ttlSecondsAfterFinished (e.g. 86400: a day to read the logs)")
