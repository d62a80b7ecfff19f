"""Container ports and env variables are unambiguous: port names unique and at most 15
characters, port numbers unique, no env variable set twice.

A duplicate env name silently keeps only the last value; a long port name is rejected.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    env: [{name: MODE, value: a}, {name: MODE, value: b}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.0
    env: [{name: MODE, value: a}]
    ports: [{name: http, containerPort: 8080}]
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import WORKLOAD_KINDS, containers, items

ID = "container-names"
TITLE = "container port names/numbers and env names are unique"
SEVERITY = "error"
REMEDIATION = "give each container port, port name and env variable a unique name within the container"
KINDS = WORKLOAD_KINDS


def check(res, ctx):
    for c, path in containers(res):
        seen_env: set = set()
        for i, var in items(c.get("env")):
            name = var.get("name")
            if name in seen_env:
                yield Found(res, f"container {c.get('name')!r} sets env "
                            f"{name} twice", path=f"{path}.env[{i}].name")
            seen_env.add(name)
        names: set = set()
        numbers: set = set()
        for i, port in items(c.get("ports")):
            name, number = port.get("name"), (port.get("containerPort"), port.get("protocol", "TCP"))
            if name and (name in names or len(str(name)) > 15):
                yield Found(res, f"container {c.get('name')!r}: port "
                            f"name {name!r} is repeated or longer than 15 characters",
                            path=f"{path}.ports[{i}].name")
            if number in numbers:
                yield Found(res, f"container {c.get('name')!r}: port "
                            f"{number[0]} is declared twice", path=f"{path}.ports[{i}].containerPort")
            names.add(name)
            numbers.add(number)
