"""Helpers for the API-server check corpora: bases by `Kind/name`, mutations applied to copies."""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from gitops.manifests.resource import Origin, Resource

DATA = Path(__file__).parent / "data" / "apiserver"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]|\[([^\]]+)\]")  # key, [index], [key.with.dots]


def load_docs(*paths: Path) -> list[tuple[Path, int, dict]]:
    docs = []
    for path in paths:
        for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
            if doc:
                docs.append((path, index, doc))
    return docs


def bases(where: Path) -> dict[str, dict]:
    """The manifests of a folder (or one file) by `Kind/name`."""
    files = sorted(where.glob("*.yaml")) if where.is_dir() else [where]
    return {f"{doc['kind']}/{doc['metadata']['name']}": doc for _, _, doc in load_docs(*files)}


def _steps(path: str) -> list[Any]:
    return [int(m.group(2)) if m.group(2) is not None else m.group(1) or m.group(3) for m in _STEP.finditer(path)]


def set_path(obj: Any, path: str, value: Any) -> None:
    *parents, last = _steps(path)
    for step in parents:
        if isinstance(step, str) and step not in obj:
            obj[step] = {}
        obj = obj[step]
    if isinstance(obj, list) and last == len(obj):
        obj.append(value)
    else:
        obj[last] = value


def delete_path(obj: Any, path: str) -> None:
    *parents, last = _steps(path)
    for step in parents:
        obj = obj[step]
    del obj[last]


_REPEAT = re.compile(r"<<repeat (\d+) (.)>>")


def _expand(value: Any) -> Any:
    """`<<repeat N c>>` stands for N copies of c: big values without big corpus files."""
    if isinstance(value, str):
        match = _REPEAT.fullmatch(value)
        return match.group(2) * int(match.group(1)) if match else value
    if isinstance(value, dict):
        return {_expand(k): _expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    return value


def mutate(base: dict, mutation: dict) -> Resource:
    obj = copy.deepcopy(base)
    for path, value in (mutation.get("set") or {}).items():
        set_path(obj, path, _expand(value))
    for path in mutation.get("delete") or ():
        delete_path(obj, path)
    return Resource(obj, Origin(file="mutation.yaml"))


def mutation_id(mutation: dict) -> str:
    rule = mutation.get("rule") or f"ok:{mutation.get('pass')}"
    change = ",".join([*(mutation.get("set") or {}), *(f"-{p}" for p in mutation.get("delete") or ())])
    return f"{rule}|{mutation['base']}|{change}"
