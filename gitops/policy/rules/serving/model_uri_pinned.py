"""A served model's URI names one version, not `latest` (on in production in the presets).

A URI ending in `latest` (a folder, a tag, an alias) or an `oci://` model image without a tag or
digest serves whatever was uploaded last: a restarted or rescheduled pod may load a different
model than its siblings, and a rollback to the previous commit does not bring the previous model
back. Checked on every model URI of an InferenceService (each component's framework `storageUri`
and `storageUris`) and on an LLMInferenceService's `spec.model.uri`.

Fails:

```yaml
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: payments}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://acme-models/fraud/latest
```

Passes:

```yaml
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: payments}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://acme-models/fraud/v14
```
"""
from __future__ import annotations

import re
from typing import Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context
from .common import is_kserve, model_uris

ID = "model-uri-pinned"
TITLE = "Served model URIs name one version, not latest"
SEVERITY = "error"
REMEDIATION = "point the model URI at a versioned folder, tag or digest (…/v14, :1.4.0, @sha256:…)"
SCOPE = "resource"
KINDS = ("InferenceService", "LLMInferenceService")

_LATEST = re.compile(r"(^|[/:@=])latest/?$", re.IGNORECASE)
_OCI_REF = re.compile(r"^oci://[^/]+/.+?(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$")


def _problem(uri: str) -> str | None:
    if _LATEST.search(uri.split("?")[0]):
        return "names `latest`"
    if uri.startswith("oci://") and not _OCI_REF.match(uri):
        return "is an OCI model image without a tag or digest (it means `latest`)"
    return None


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    if not is_kserve(res):
        return
    for uri, path in model_uris(res):
        problem = _problem(uri)
        if problem:
            yield Found(res, f"model URI {uri!r} {problem}: pods may load different models, and a rollback does "
                        "not bring the old one back", path=path, hint=REMEDIATION)
