"""An InferenceService asks for canary traffic only when a previous revision exists to keep the rest.

`canaryTrafficPercent` splits traffic between the newest revision and the previous one. On an
InferenceService that the base ref does not have, there is no previous revision: KServe sends
everything to the only one, so the canary promised in review does not happen, and the next change
starts from the percentage instead of 100. When the component did not change since the base ref,
no new revision is made and the split moves no traffic at all. Needs the base ref (`gitops check
--base REF`, the pull-request gate); without it nothing is reported.

Fails (the base ref has no InferenceService `fraud-v2`):

```yaml
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud-v2, namespace: payments}
spec:
  predictor:
    canaryTrafficPercent: 10
    model: {modelFormat: {name: sklearn}, storageUri: gs://acme-models/fraud/v15}
```

Passes (the base ref serves v14; v15 gets 10%):

```yaml
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: payments}
spec:
  predictor:
    canaryTrafficPercent: 10
    model: {modelFormat: {name: sklearn}, storageUri: gs://acme-models/fraud/v15}
```
"""
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ...api import Context, as_map
from .common import components, is_kserve

ID = "canary-needs-previous-revision"
TITLE = "InferenceService canary traffic only where a previous revision exists"
SEVERITY = "error"
REMEDIATION = "roll out the first revision without canaryTrafficPercent; set it in the change that follows"
SCOPE = "set"
EXAMPLE_CONTEXT = {"base": """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: payments}
spec:
  predictor:
    model: {modelFormat: {name: sklearn}, storageUri: gs://acme-models/fraud/v14}
"""}


def _without_canary(component: dict) -> dict[str, Any]:
    return {k: v for k, v in component.items() if k != "canaryTrafficPercent"}


def check(ctx: Context) -> Iterator[Found]:
    if ctx.base is None:
        return
    before = {(r.namespace, r.name): r for r in ctx.base if r.kind == "InferenceService" and is_kserve(r)}
    for res in ctx.of_kind("InferenceService"):
        if not is_kserve(res):
            continue
        old = before.get((res.namespace, res.name))
        for name, component, path in components(res):
            percent = component.get("canaryTrafficPercent")
            if percent is None:
                continue
            where = f"{path}.canaryTrafficPercent"
            if old is None:
                yield Found(res, f"canaryTrafficPercent {percent} on an InferenceService the base ref does not "
                            "have: there is no previous revision, so all traffic goes to the first one",
                            path=where, hint=REMEDIATION)
            elif _without_canary(as_map(as_map(old.obj.get("spec")).get(name))) == _without_canary(component):
                yield Found(res, f"canaryTrafficPercent {percent} but the {name} is unchanged since the base ref: "
                            "no new revision is made, so the split moves no traffic",
                            path=where, hint="remove canaryTrafficPercent once the rollout is done")
