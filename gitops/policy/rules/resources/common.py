"""What the resources rules share."""
from __future__ import annotations

from typing import Iterator

from ....findings import Found
from ...api import Context, containers, quantity


def _requirements(c: dict) -> tuple[dict, dict]:
    res = c.get("resources") or {}
    return res.get("requests") or {}, res.get("limits") or {}


def _bounded(res, ctx: Context, key: str, unit: str) -> Iterator[Found]:
    low, high = quantity(ctx.options["min"]), quantity(ctx.options["max"])
    for c, path in containers(res):
        requests, limits = _requirements(c)
        if key not in requests and key in limits:
            requests, where = limits, f"{path}.resources.limits.{key}"  # the API server copies the limit
        else:
            where = f"{path}.resources.requests.{key}"
        value = quantity(requests.get(key))
        if value is None:
            yield Found(res, f"container {c.get('name')!r} has no {key} request",
                        path=where, hint=f"set resources.requests.{key} (e.g. {unit})")
        elif ".initContainers[" in path:
            continue  # bounds size the serving containers; init containers only need a request
        elif low is not None and value < low:
            yield Found(res, f"container {c.get('name')!r} requests {requests[key]} "
                        f"{key}, below the minimum {ctx.options['min']}", path=where)
        elif high is not None and value > high:
            yield Found(res, f"container {c.get('name')!r} requests {requests[key]} "
                        f"{key}, above the maximum {ctx.options['max']}", path=where)
