"""Spec files must not reach into the stages that run after them.

A spec file runs in a loader process, and not at all when the spec cache is warm; synthesis,
delivery and the checks run elsewhere. A hook registered there, or a table of gitops changed from a
spec (`pipeline.OBJECT_HOOKS += ...`), would therefore vanish silently: generated/ would lack it and
`gitops check` would pass. Importing those stages from a spec is refused instead, with the way that
works: the escape hatches of the spec itself (docs/specs.md, "Escape hatches").
"""
from __future__ import annotations

import ast
import sys

from ..errors import SpecError

# gitops packages a spec file has no business importing: they run after loading, elsewhere.
LATER_STAGES = ("gitops.synth", "gitops.delivery", "gitops.write", "gitops.check", "gitops.policy",
                "gitops.commands", "gitops.cli", "gitops.config")
ADVICE = ("synthesis runs in another process and reads the spec cache, so a hook or table changed from a "
          "spec never reaches generated/; use the spec's own escape hatches: patches=, extra_objects=, "
          "labels_for=, annotations_for= (docs/specs.md, Escape hatches)")


# What a spec may load from there: Node and cdk8s for typed objects (gitops.spec.typed).
ALLOWED = frozenset({"gitops.synth", "gitops.synth.bridge"})


def _later(name: str) -> bool:
    return name not in ALLOWED and any(name == stage or name.startswith(stage + ".") for stage in LATER_STAGES)


def forget_later_stages() -> None:
    """Drop those modules from this loader process, so each spec file's imports are seen afresh."""
    for name in [n for n in sys.modules if _later(n)]:
        del sys.modules[name]


def refuse_later_stages(path: str, rel: str) -> None:
    """A SpecError when loading the file at `path` imported a later stage (directly or through a helper)."""
    imported = sorted(n for n in sys.modules if _later(n))
    if not imported:
        return
    line, name = _import_line(path)
    raise SpecError(f"imports {name or imported[0]}: {ADVICE}", file=rel, line=line)


def _import_line(path: str) -> tuple[int | None, str | None]:
    """Line and module of the spec file's own import of a later stage (None when a helper did it)."""
    try:
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
    except (OSError, SyntaxError, ValueError):
        return None, None
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if _later(name):
                return node.lineno, name
    return None, None
