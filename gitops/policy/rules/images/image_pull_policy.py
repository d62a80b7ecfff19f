"""Every container pulls its image with `imagePullPolicy: Always`: set so, or left unset on an image
without a tag or with `:latest`, which the API server then defaults to `Always` (any other
image defaults to `IfNotPresent`).

The kubelet then checks the registry at each start, so a pod can only run an image its node is
still allowed to pull, and a moved tag is noticed. Pulls of an unchanged image cost one small
request.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, imagePullPolicy: IfNotPresent}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - {name: api, image: ghcr.io/acme/api:1.0, imagePullPolicy: Always}
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "image-pull-policy"
TITLE = "containers pull their image with imagePullPolicy Always"
SEVERITY = "warning"
KINDS = WORKLOAD_KINDS
REMEDIATION = "set imagePullPolicy: Always"
SCHEMA = {"anyOf": [{"required": ["imagePullPolicy"],
            "properties": {"imagePullPolicy": {"const": "Always"}}},
           {"not": {"required": ["imagePullPolicy"]},
            "required": ["image"],
            "properties": {"image": {"type": "string",
                                     "pattern": "^([^/@]*/)*[^/:@]+(:latest)?$"}}}]}

check = satisfies("container", SCHEMA, "container {name!r} may run a cached image (imagePullPolicy is not Always)", REMEDIATION)
