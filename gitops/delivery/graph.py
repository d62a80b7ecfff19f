"""Dependencies between apps (`App.depends_on`) in one environment, and the sync waves they give.

An app's wave is 0 when it depends on nothing, else one more than the highest wave of its
dependencies, so Argo CD syncs (and waits for the health of) every dependency first. Flux gets the
same edges as `dependsOn`. An unknown dependency or a cycle is an input error at the spec.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..errors import SpecError


@dataclass(frozen=True)
class Node:
    name: str
    depends_on: tuple[str, ...]
    spec_file: str = ""
    spec_line: int | None = None


@dataclass(frozen=True)
class Graph:
    env: str
    deps: dict[str, tuple[str, ...]]  # app -> its direct dependencies, sorted
    waves: dict[str, int]

    def order(self) -> list[str]:
        """Apps by wave, then name: a valid apply order."""
        return sorted(self.waves, key=lambda a: (self.waves[a], a))


def build(env: str, nodes: Iterable[Node]) -> Graph:
    nodes = sorted(nodes, key=lambda n: n.name)
    by_name = {n.name: n for n in nodes}
    for node in nodes:
        for dep in node.depends_on:
            if dep not in by_name:
                known = ", ".join(sorted(by_name)) or "none"
                raise SpecError(f"unknown app {dep!r} in environment {env!r}; apps: {known}",
                                file=node.spec_file, line=node.spec_line, app=node.name, field="depends_on")
            if dep == node.name:
                raise SpecError("an app cannot depend on itself", file=node.spec_file, line=node.spec_line,
                                app=node.name, field="depends_on")
    deps = {n.name: tuple(sorted(set(n.depends_on))) for n in nodes}
    waves: dict[str, int] = {}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(name: str, path: list[str]) -> int:
        if state.get(name) == 2:
            return waves[name]
        if state.get(name) == 1:
            cycle = path[path.index(name):] + [name]
            first = by_name[cycle[0]]
            raise SpecError(f"dependency cycle in environment {env!r}: {' -> '.join(cycle)}",
                            file=first.spec_file, line=first.spec_line, app=first.name, field="depends_on")
        state[name] = 1
        path.append(name)
        wave = max((visit(dep, path) + 1 for dep in deps[name]), default=0)
        path.pop()
        state[name] = 2
        waves[name] = wave
        return wave

    for node in nodes:
        visit(node.name, [])
    return Graph(env, deps, waves)
