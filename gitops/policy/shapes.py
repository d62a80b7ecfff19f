"""The template behind shape-only rules: every container, pod spec or object a rule targets must
satisfy a JSON Schema (as Polaris' checks do). A rule module keeps its own id, doc and schema and
sets `check = satisfies(target, SCHEMA, message, hint)`."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

import jsonschema_rs

from ..findings import Found
from ..manifests.resource import Resource
from .api import Context, containers, is_windows, pod_spec

TARGETS = ("container", "pod", "object")


def satisfies(target: str, schema: dict[str, Any], message: str, hint: str = "", linux_only: bool = False
              ) -> Callable[[Resource, Context], Iterator[Found]]:
    """A rule's `check`: each target that fails `schema` is a finding; `message` may name `{name}`
    (the container's name, or the object's). `linux_only` rules skip Windows pods, where the API
    forbids the fields they require."""
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, not {target!r}")
    validator = jsonschema_rs.validator_for(schema)

    def check(res: Resource, ctx: Context) -> Iterator[Found]:
        if linux_only and is_windows(res):
            return
        items: Iterable[tuple[Any, str, str]]
        if target == "container":
            items = ((c, p, c.get("name", "?")) for c, p in containers(res))
        elif target == "pod":
            spec, path = pod_spec(res)
            items = [(spec, path, res.name)] if spec is not None else []
        else:
            items = [(res.obj, "", res.name)]
        for obj, path, name in items:
            if not validator.is_valid(obj):
                yield Found(res, message.format(name=name), path=path, hint=hint)

    return check
