"""Every object carries the labels listed in `labels` (default: app.kubernetes.io/name).

Labels such as an owner or team are how alerts, costs and incidents find the people
responsible. `kinds` limits the rule to some kinds (empty: all).

Fails:

```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: api}
```

Passes:

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
```
"""
from __future__ import annotations

from ....findings import Found

ID = "required-labels"
TITLE = "objects carry the required labels"
SEVERITY = "error"
REMEDIATION = "add the required labels to metadata.labels"
OPTIONS = {"labels": ["app.kubernetes.io/name"], "kinds": []}


def check(res, ctx):
    kinds = ctx.options["kinds"] or []
    if kinds and res.kind not in kinds:
        return
    labels = res.metadata.get("labels") or {}
    for label in ctx.options["labels"] or []:
        if not labels.get(label):
            yield Found(res, f"label {label} is missing",
                        path="metadata.labels", hint=f"add metadata.labels.{label}")
