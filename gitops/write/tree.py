"""The generated/ tree: atomic replacement, drift against what is on disk, and a state record.

The tree is a set of folders (units): one per app and environment, plus folders of delivery
objects. Each unit has a key, the hash of everything it is made from. After writing, the keys and
the size and mtime of every file are recorded in the cache folder; when the record still matches
the disk, unchanged units are known without reading a file, so a run where nothing changed, or
one app changed, touches only what it must. Without a trusted record everything is compared.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from typing import Callable

from ..cachefile import write_cache_file
from ..errors import GitopsError

KUSTOMIZATION = "kustomization.yaml"


@dataclass
class Unit:
    """One folder of generated/: its key and a way to get its files (name -> text) when needed."""

    key: str
    load: Callable[[], dict[str, str]]


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


def units_from_files(files: dict[str, str]) -> dict[str, Unit]:
    """Group a flat {relpath: text} map into units keyed by the hash of their content."""
    grouped: dict[str, dict[str, str]] = {}
    for path, text in files.items():
        rel = safe_relpath(path)
        folder, name = os.path.split(rel)
        grouped.setdefault(folder, {})[name] = text
    return {folder: Unit(_content_key(texts), _loader(texts)) for folder, texts in grouped.items()}


def _loader(texts: dict[str, str]) -> Callable[[], dict[str, str]]:
    return lambda: texts


def _content_key(texts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(texts.items())).encode()).hexdigest()


def read_tree(root: str) -> dict[str, bytes | None]:
    """Every file under `root` (relative path -> bytes, None if unreadable); empty when the folder does not exist."""
    out: dict[str, bytes | None] = {}
    for rel in _stat_tree(root):
        out[rel] = _read(root, rel)
    return out


def _read(root: str, rel: str) -> bytes | None:
    """A file's bytes; None when it cannot be read (a dangling or looping symlink, say), which
    then differs from anything wanted and is replaced or reported as drift."""
    try:
        with open(os.path.join(root, rel), "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _stat_tree(root: str) -> dict[str, tuple[int, int, int]]:
    """relpath -> (size, mtime_ns, inode) of every file under root."""
    out: dict[str, tuple[int, int, int]] = {}
    if not os.path.isdir(root):
        return out
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        with os.scandir(os.path.join(root, rel_dir)) as entries:
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append(rel)
                else:
                    st = entry.stat(follow_symlinks=False)
                    out[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def _digest(stats: dict[str, tuple[int, int, int]]) -> str:
    return hashlib.sha256(json.dumps(sorted(stats.items())).encode()).hexdigest()


class TreeState:
    """What this tool last wrote to a tree, kept in the cache folder (None: no record kept)."""

    def __init__(self, path: str | None):
        self.path = path

    def load(self, target: str) -> dict | None:
        if not self.path:
            return None
        try:
            with open(self.path, encoding="utf-8") as fh:
                state = json.load(fh)
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) and state.get("target") == os.path.abspath(target) else None

    def trusted_keys(self, target: str, stats: dict) -> dict[str, str] | None:
        """Unit keys of the last write, when the tree on disk is still exactly what was written."""
        state = self.load(target)
        if state is None or state.get("stat") != _digest(stats):
            return None
        keys = state.get("units")
        return keys if isinstance(keys, dict) else None

    def save(self, target: str, units: dict[str, Unit], stats: dict | None = None) -> None:
        """Record `units` as written; `stats` when the caller already knows the tree's stat."""
        if not self.path:
            return
        stats = _stat_tree(target) if stats is None else stats
        state = {"target": os.path.abspath(target), "stat": _digest(stats),
                 "units": {folder: unit.key for folder, unit in units.items()}}
        write_cache_file(self.path, json.dumps(state).encode("utf-8"))


def _siblings(target: str, tag: str) -> str:
    parent, base = os.path.split(os.path.abspath(target))
    return os.path.join(parent, f".{base}.{tag}-{os.getpid()}")


JOURNAL = ".gitops-swap.json"


def recover(target: str) -> None:
    """Finish or undo a swap that an earlier run could not complete (killed between renames).

    A staging folder with a journal was complete: its folder swaps are rolled forward. Without a
    journal it was still being built and is dropped. A set-aside old tree comes back when the
    tree itself is missing.
    """
    parent, base = os.path.split(os.path.abspath(target))
    if not os.path.isdir(parent):
        return
    names = sorted(os.listdir(parent))
    for name in names:
        path = os.path.join(parent, name)
        if name.startswith(f".{base}.new-") and os.path.isdir(path):
            journal = os.path.join(path, JOURNAL)
            if os.path.isfile(journal) and os.path.isdir(target):
                with open(journal, encoding="utf-8") as fh:
                    plan = json.load(fh)
                _apply_swaps(target, path, path.replace(".new-", ".old-", 1), plan)
            shutil.rmtree(path, ignore_errors=True)
    for name in names:
        path = os.path.join(parent, name)
        if name.startswith(f".{base}.old-") and os.path.isdir(path):
            if not os.path.exists(target):
                os.rename(path, target)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _apply_swaps(target: str, staging: str, old: str, plan: dict) -> None:
    """Move each replaced or removed folder aside, then the new ones in. Safe to run again."""
    for folder in plan["replace"] + plan["remove"]:
        current, aside = os.path.join(target, folder), os.path.join(old, folder)
        new = os.path.join(staging, folder)
        replaced_already = folder in plan["replace"] and not os.path.exists(new)
        if os.path.exists(current) and not os.path.exists(aside) and not replaced_already:
            os.makedirs(os.path.dirname(aside), exist_ok=True)
            os.rename(current, aside)
    for folder in plan["replace"]:
        new = os.path.join(staging, folder)
        if os.path.exists(new):
            os.makedirs(os.path.dirname(os.path.join(target, folder)), exist_ok=True)
            os.rename(new, os.path.join(target, folder))
    for folder in plan["remove"]:  # drop parents left empty (an environment with no apps left)
        parent = os.path.dirname(os.path.join(target, folder))
        while os.path.abspath(parent) != os.path.abspath(target) and os.path.isdir(parent) and not os.listdir(parent):
            os.rmdir(parent)
            parent = os.path.dirname(parent)


def write_tree(target: str, files: dict[str, str] | dict[str, Unit], state: TreeState | None = None,
               fail_after: int | None = None) -> bool:
    """Make `target` hold exactly the given files (or units); False when it already did.

    All or nothing: the new tree is built in a sibling folder (unchanged files hard-linked, not
    rewritten) and swapped in with two renames, so a failure leaves the previous tree intact.
    `fail_after` injects a failure after that many files (for tests).
    """
    units = _as_units(files)
    state = state or TreeState(None)
    recover(target)
    stats = _stat_tree(target)
    trusted = state.trusted_keys(target, stats)
    if trusted is not None and trusted == {f: u.key for f, u in units.items()}:
        return False
    if trusted is not None:
        return _swap_changed_units(target, units, trusted, stats, state, fail_after)
    wanted: dict[str, bytes | None] = {}  # None: same as on disk, link it
    on_disk: dict[str, list[str]] = {}
    for rel in stats:
        on_disk.setdefault(os.path.dirname(rel), []).append(rel)
    for folder, unit in units.items():
        if trusted is not None and trusted.get(folder) == unit.key:
            wanted.update({rel: None for rel in on_disk.get(folder, ())})
        else:
            for name, text in unit.load().items():
                wanted[safe_relpath(os.path.join(folder, name))] = text.encode("utf-8")
    # Files to be rewritten that already hold the same bytes are linked instead; when that is
    # all of them and no file goes away, the tree is already right.
    current = read_tree(target) if trusted is None else {
        rel: _read(target, rel) for rel, data in wanted.items() if data is not None and rel in stats}
    for rel, data in list(wanted.items()):
        if data is not None and current.get(rel) == data:
            wanted[rel] = None
    if all(data is None for data in wanted.values()) and set(wanted) == set(stats):
        state.save(target, units)
        return False
    staging = _siblings(target, "new")
    try:
        os.makedirs(staging, exist_ok=True)
        made: set[str] = set()
        for count, rel in enumerate(sorted(wanted)):
            if fail_after is not None and count >= fail_after:
                raise OSError("injected failure while writing generated files")
            path = os.path.join(staging, rel)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            data = wanted[rel]
            if data is None:
                try:
                    os.link(os.path.join(target, rel), path)
                    continue
                except OSError:
                    with open(os.path.join(target, rel), "rb") as fh:
                        data = fh.read()
            with open(path, "wb") as fh:
                fh.write(data)
        old = _siblings(target, "old")
        if os.path.exists(target):
            os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    state.save(target, units)
    return True


def _swap_changed_units(target: str, units: dict[str, Unit], trusted: dict[str, str],
                        stats: dict[str, tuple[int, int, int]], state: TreeState,
                        fail_after: int | None) -> bool:
    """When the tree is known to be what was last written, only changed folders are rebuilt.

    The new folders are written in full to a staging sibling with a journal of the swaps; only
    then are the folders swapped, each with renames. A failure while staging leaves the tree
    untouched; a run killed during the swaps is rolled forward by the next run (`recover`).
    """
    on_disk: dict[str, list[str]] = {}
    for rel in stats:
        on_disk.setdefault(os.path.dirname(rel), []).append(rel)
    changed = {f: u for f, u in units.items() if trusted.get(f) != u.key or f not in on_disk}
    removed = sorted(f for f in on_disk if f not in units)
    new_files = {f: {n: t.encode("utf-8") for n, t in u.load().items()} for f, u in changed.items()}
    # A changed key with the same bytes (e.g. a new gitops version) needs no swap.
    for folder in list(new_files):
        old_names = {os.path.basename(r) for r in on_disk.get(folder, ())}
        if old_names == set(new_files[folder]) and all(
                _read(target, f"{folder}/{n}") == data for n, data in new_files[folder].items()):
            del new_files[folder]
    if not new_files and not removed:
        state.save(target, units)
        return False
    staging, old = _siblings(target, "new"), _siblings(target, "old")
    plan = {"replace": sorted(new_files), "remove": removed}
    try:
        count = 0
        for folder in plan["replace"]:
            os.makedirs(os.path.join(staging, folder), exist_ok=True)
            for name, data in sorted(new_files[folder].items()):
                if fail_after is not None and count >= fail_after:
                    raise OSError("injected failure while writing generated files")
                count += 1
                with open(os.path.join(staging, safe_relpath(os.path.join(folder, name))), "wb") as fh:
                    fh.write(data)
        os.makedirs(staging, exist_ok=True)
        with open(os.path.join(staging, JOURNAL), "w", encoding="utf-8") as fh:
            fh.write(json.dumps(plan))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _apply_swaps(target, staging, old, plan)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    touched = set(plan["replace"]) | set(removed)
    kept = {rel: st for rel, st in stats.items() if os.path.dirname(rel) not in touched}
    for folder in plan["replace"]:
        kept.update({f"{folder}/{rel}": st for rel, st in _stat_tree(os.path.join(target, folder)).items()})
    state.save(target, units, kept)
    return True


def _as_units(files: dict) -> dict[str, Unit]:
    if files and all(isinstance(v, Unit) for v in files.values()):
        for folder in files:
            safe_relpath(folder)
        return dict(files)
    return units_from_files(files)


@dataclass
class Drift:
    added: list[str] = field(default_factory=list)    # would be created by synth
    removed: list[str] = field(default_factory=list)  # on disk, no longer produced
    changed: list[str] = field(default_factory=list)
    diffs: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.added or self.removed or self.changed)


def drift(target: str, files: dict[str, str] | dict[str, Unit], state: TreeState | None = None,
          diff_lines: int = 40) -> Drift:
    units = _as_units(files)
    state = state or TreeState(None)
    trusted = state.trusted_keys(target, _stat_tree(target))
    if trusted is not None and trusted == {f: u.key for f, u in units.items()}:
        return Drift()
    wanted = {safe_relpath(os.path.join(folder, name)): text
              for folder, unit in units.items() for name, text in unit.load().items()}
    current = read_tree(target)
    result = Drift()
    for rel in sorted(set(wanted) | set(current)):
        if rel not in current:
            result.added.append(rel)
        elif rel not in wanted:
            result.removed.append(rel)
        elif current[rel] != wanted[rel].encode("utf-8"):
            result.changed.append(rel)
            old = (current[rel] or b"").decode("utf-8", errors="replace").splitlines()
            new = wanted[rel].splitlines()
            lines = list(difflib.unified_diff(old, new, f"committed/{rel}", f"from specs/{rel}", lineterm="", n=2))
            if len(lines) > diff_lines:
                lines = lines[:diff_lines] + [f"... ({len(lines) - diff_lines} more diff lines)"]
            result.diffs[rel] = "\n".join(lines)
    return result
