"""No Secret with data is committed to the repository.

Anything in Git is readable by everyone with the repository, forever. Reference Secrets made
by a secret manager (External Secrets, Sealed Secrets, Vault), and commit those objects instead.

Fails:

```yaml
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: hunter2}
```

Passes:

```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: db}
data: {host: db.internal}
```
"""
from __future__ import annotations

from ....findings import Found

ID = "secret-data"
TITLE = "no plaintext Secret data in the repository"
SEVERITY = "error"
REMEDIATION = "create it with a secret manager and reference it by name"
KINDS = ("Secret",)


def check(res, ctx):
    if res.api_version == "v1":
        for key in ("data", "stringData"):
            if res.obj.get(key):
                yield Found(res, f"Secret carries {key} in the repository",
                            path=key, hint="create it with a secret manager and reference it by name")
