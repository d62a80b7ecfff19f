"""The generated/ tree: its file map, atomic replacement, and drift against what is on disk."""
from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import dataclass, field

from ..errors import GitopsError

KUSTOMIZATION = "kustomization.yaml"


def kustomization(resources: list[str], comment: str) -> str:
    lines = [comment, "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "resources:"]
    lines += [f"- {name}" for name in sorted(resources)]
    return "\n".join(lines) + "\n"


def safe_relpath(path: str) -> str:
    """`path` normalised, refused when it would leave the tree (absolute, '..', empty)."""
    norm = os.path.normpath(path)
    if not path or os.path.isabs(path) or norm == "." or norm.split(os.sep)[0] == ".." or "\0" in path:
        raise GitopsError(f"refusing to write {path!r}: outside the generated tree")
    return norm


def read_tree(root: str) -> dict[str, bytes]:
    """Every file under `root` (relative path -> bytes); empty when the folder does not exist."""
    out: dict[str, bytes] = {}
    if not os.path.isdir(root):
        return out
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, root)] = fh.read()
    return out


def _siblings(target: str, tag: str) -> str:
    parent, base = os.path.split(os.path.abspath(target))
    return os.path.join(parent, f".{base}.{tag}-{os.getpid()}")


def recover(target: str) -> None:
    """Finish or undo a swap that an earlier run could not complete (killed between two renames)."""
    parent, base = os.path.split(os.path.abspath(target))
    if not os.path.isdir(parent):
        return
    for name in sorted(os.listdir(parent)):
        path = os.path.join(parent, name)
        if name.startswith(f".{base}.old-") and os.path.isdir(path):
            if not os.path.exists(target):
                os.rename(path, target)
            else:
                shutil.rmtree(path, ignore_errors=True)
        elif name.startswith(f".{base}.new-") and os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)


def write_tree(target: str, files: dict[str, str], fail_after: int | None = None) -> bool:
    """Make `target` hold exactly `files`; False when it already did. All or nothing.

    The new tree is built in a sibling folder and swapped in with two renames, so a failure
    leaves the previous tree intact. Unchanged files are hard-linked, not rewritten.
    `fail_after` injects a failure after that many files (for tests).
    """
    recover(target)
    wanted = {safe_relpath(p): text.encode("utf-8") for p, text in files.items()}
    current = read_tree(target)
    if current == wanted:
        return False
    staging = _siblings(target, "new")
    try:
        for count, (rel, data) in enumerate(sorted(wanted.items())):
            if fail_after is not None and count >= fail_after:
                raise OSError("injected failure while writing generated files")
            path = os.path.join(staging, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if current.get(rel) == data:
                try:
                    os.link(os.path.join(target, rel), path)
                    continue
                except OSError:
                    pass
            with open(path, "wb") as fh:
                fh.write(data)
        if not wanted:
            os.makedirs(staging, exist_ok=True)
        old = _siblings(target, "old")
        if os.path.exists(target):
            os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


@dataclass
class Drift:
    added: list[str] = field(default_factory=list)    # would be created by synth
    removed: list[str] = field(default_factory=list)  # on disk, no longer produced
    changed: list[str] = field(default_factory=list)
    diffs: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.added or self.removed or self.changed)


def drift(target: str, files: dict[str, str], diff_lines: int = 40) -> Drift:
    wanted = {safe_relpath(p): text for p, text in files.items()}
    current = read_tree(target)
    result = Drift()
    for rel in sorted(set(wanted) | set(current)):
        if rel not in current:
            result.added.append(rel)
        elif rel not in wanted:
            result.removed.append(rel)
        elif current[rel] != wanted[rel].encode("utf-8"):
            result.changed.append(rel)
            old = current[rel].decode("utf-8", errors="replace").splitlines()
            new = wanted[rel].splitlines()
            lines = list(difflib.unified_diff(old, new, f"committed/{rel}", f"from specs/{rel}", lineterm="", n=2))
            if len(lines) > diff_lines:
                lines = lines[:diff_lines] + [f"... ({len(lines) - diff_lines} more diff lines)"]
            result.diffs[rel] = "\n".join(lines)
    return result
