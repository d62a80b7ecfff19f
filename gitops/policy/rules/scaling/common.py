"""What the scaling rules share."""
from __future__ import annotations


def _spec(res) -> dict:
    spec = res.obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _target(res, ctx):
    ref = _spec(res).get("scaleTargetRef") or {}
    return ref, ctx.find(ref.get("kind", ""), ref.get("name", ""), res.namespace)
