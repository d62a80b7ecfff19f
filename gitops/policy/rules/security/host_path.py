"""Pods mount no hostPath volumes (except paths listed in `allowed`, globs allowed).

A hostPath gives the container the node's files: the container runtime socket, kubelet
credentials, other pods' data.

Fails:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  containers: [{name: agent, image: ghcr.io/acme/agent:1.0}]
  volumes:
  - {name: docker, hostPath: {path: /var/run/docker.sock}}
```

Passes:

```yaml
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  containers: [{name: agent, image: ghcr.io/acme/agent:1.0}]
  volumes:
  - {name: scratch, emptyDir: {}}
```
"""
from __future__ import annotations

import fnmatch
from typing import Any

from ....findings import Found
from ...api import WORKLOAD_KINDS, as_map, items, pod_spec

ID = "host-path"
TITLE = "no hostPath volumes"
SEVERITY = "error"
REMEDIATION = "use a persistentVolumeClaim, configMap, secret or emptyDir volume instead of hostPath"
KINDS = WORKLOAD_KINDS
OPTIONS: dict[str, Any] = {"allowed": []}


def check(res, ctx):
    pod, base = pod_spec(res)
    allowed = ctx.options["allowed"] or []
    for i, volume in items(as_map(pod).get("volumes")):
        host = volume.get("hostPath")
        if isinstance(host, dict) and not any(fnmatch.fnmatchcase(str(host.get("path")), g) for g in allowed):
            yield Found(res, f"volume {volume.get('name')!r} mounts the "
                        f"node's {host.get('path')}", path=f"{base}.volumes[{i}].hostPath")
