"""The pods of a Job or CronJob set `restartPolicy` to `OnFailure` or `Never`.

The default, `Always`, is refused for Jobs by the API server: the apply fails in the
cluster. Choosing explicitly also decides how retries count against `backoffLimit`.

Fails:

```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      containers: [{name: migrate, image: ghcr.io/acme/migrate:1.0}]
```

Passes:

```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers: [{name: migrate, image: ghcr.io/acme/migrate:1.0}]
```
"""
from __future__ import annotations

from ...shapes import satisfies

ID = "job-restart-policy"
TITLE = "Job pods restart OnFailure or Never"
SEVERITY = "error"
KINDS = ("Job", "CronJob")
REMEDIATION = "set restartPolicy: OnFailure (retry in place) or Never (new pod per retry)"
SCHEMA = {"required": ["restartPolicy"], "properties": {"restartPolicy": {"enum": ["OnFailure", "Never"]}}}

check = satisfies("pod", SCHEMA, "pod template of {name!r} must set restartPolicy OnFailure or Never", REMEDIATION)
