"""Training Jobs mount a memory-backed /dev/shm with a size limit.

PyTorch DataLoader workers and NCCL pass data through shared memory; a container's /dev/shm is
64Mi, which crashes them with a bus error. An emptyDir with `medium: Memory` fixes it, and its
`sizeLimit` keeps it within the memory limit (the shared memory counts against it).

Fails:
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: train, labels: {app.kubernetes.io/component: training}}
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
metadata: {name: train, labels: {app.kubernetes.io/component: training}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: i:1, volumeMounts: [{name: dshm, mountPath: /dev/shm}]}]
      volumes: [{name: dshm, emptyDir: {medium: Memory, sizeLimit: 8Gi}}]
```
"""
from __future__ import annotations

from typing import Any, Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context, containers, pod_spec
from .common import _is_training, _shm_volume

ID = "training-shm-size"
TITLE = "training Jobs mount a memory-backed /dev/shm with a size limit"
SEVERITY = "error"
REMEDIATION = "mount an emptyDir {medium: Memory, sizeLimit: ...} at /dev/shm (TrainingJob(shm_size=...))"
OPTIONS: dict[str, Any] = {}
SCOPE = "resource"


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    if not _is_training(res, ctx):
        return
    spec, base = pod_spec(res)
    if spec is None:
        return
    for c, path in containers(res, init=False):
        volume, in_memory = _shm_volume(spec, c)
        if volume is None or not in_memory:
            yield Found(res, f"container {c.get('name')!r} has no memory-backed /dev/shm: DataLoader workers "
                        "crash with the 64Mi default", path=f"{path}.volumeMounts",
                        hint="mount an emptyDir {medium: Memory, sizeLimit: ...} at /dev/shm "
                        "(TrainingJob(shm_size=...))")
        elif not volume["emptyDir"].get("sizeLimit"):
            yield Found(res, f"/dev/shm of container {c.get('name')!r} has no sizeLimit: it can grow until the "
                        "pod is killed for memory", path=f"{base}.volumes",
                        hint="set emptyDir.sizeLimit below the memory limit")
