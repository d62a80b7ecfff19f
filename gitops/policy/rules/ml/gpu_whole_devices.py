"""GPU requests equal limits and are whole numbers.

Extended resources such as GPUs cannot be overcommitted or shared by a fraction: the API server
refuses requests that differ from limits, and `0.5` of a GPU is not schedulable. Declaring the
limit alone is allowed (the request defaults to it).

Options: gpu_resources, the resource names that are GPUs.

Fails (a fraction, and a request above the limit):
```yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: i:1
    resources: {requests: {nvidia.com/gpu: "2"}, limits: {nvidia.com/gpu: "0.5"}}
```

Passes:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: i:1
    resources: {requests: {nvidia.com/gpu: "1"}, limits: {nvidia.com/gpu: "1"}}
```
"""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ....manifests.resource import Resource
from ...api import Context
from .common import GPU_RESOURCES, _gpu_containers, _number

ID = "gpu-whole-devices"
TITLE = "GPU requests equal limits and are whole numbers"
SEVERITY = "error"
REMEDIATION = "extended resources cannot be overcommitted: make the request equal the limit"
OPTIONS = {"gpu_resources": list(GPU_RESOURCES)}
SCOPE = "resource"


def check(res: Resource, ctx: Context) -> Iterator[Found]:
    for c, path, name in _gpu_containers(res, ctx):
        resources = c["resources"]
        limit = (resources.get("limits") or {}).get(name)
        request = (resources.get("requests") or {}).get(name)
        where = f"{path}.resources"
        if limit is None:
            yield Found(res, f"container {c.get('name')!r} requests {name} without a limit",
                        path=f"{where}.requests", hint=f"set limits.{name} to the same whole number")
            continue
        for label, value in (("limit", limit), ("request", request)):
            number = _number(value) if value is not None else None
            if value is not None and (number is None or number != number.to_integral_value() or number < 0):
                yield Found(res, f"container {c.get('name')!r}: {name} {label} {value!r} is not "
                            "a whole number of devices", path=f"{where}.{label}s",
                            hint="GPUs are whole devices: use 1, 2, ...")
        if request is not None and _number(request) != _number(limit):
            yield Found(res, f"container {c.get('name')!r}: {name} request {request!r} differs "
                        f"from its limit {limit!r}", path=f"{where}.requests",
                        hint="extended resources cannot be overcommitted: make the request equal the limit")
