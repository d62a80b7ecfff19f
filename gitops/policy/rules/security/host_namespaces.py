"""Pods share none of the node's network, process or IPC namespaces.

With `hostNetwork` a pod sees and binds the node's interfaces; with `hostPID` it sees and can
signal every process on the node; with `hostIPC` it reads other processes' shared memory.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  hostNetwork: true
  containers: [{name: agent, image: ghcr.io/acme/agent:1.0}]
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  containers: [{name: agent, image: ghcr.io/acme/agent:1.0}]
```
"""
from __future__ import annotations

from ...api import WORKLOAD_KINDS
from ...shapes import satisfies

ID = "host-namespaces"
TITLE = "pods share no host network, PID or IPC namespace"
SEVERITY = "error"
KINDS = WORKLOAD_KINDS
REMEDIATION = "remove hostNetwork, hostPID and hostIPC"
SCHEMA = {"properties": {"hostNetwork": {"const": False},
                "hostPID": {"const": False},
                "hostIPC": {"const": False}}}

check = satisfies("pod", SCHEMA, "pod of {name!r} shares a host namespace (network, PID or IPC)", REMEDIATION)
