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
from ..errors import GitopsError, InputError
from ..safefile import MIB, read_regular

KUSTOMIZATION = "kustomization.yaml"
# Generated files are single resources; anything larger (or not a regular file: a FIFO, a symlink
# to /dev/zero) is not read, and counts as different from what the specs produce.
GENERATED_FILE_LIMIT = 16 * MIB


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
        return read_regular(os.path.join(root, rel), GENERATED_FILE_LIMIT, follow_symlinks=False)
    except OSError:
        return None


def _why_unreadable(root: str, rel: str) -> str:
    try:
        read_regular(os.path.join(root, rel), GENERATED_FILE_LIMIT, follow_symlinks=False)
    except OSError as exc:
        return exc.strerror or str(exc)
    return "changed while being read"


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

    A staging folder with a journal was complete: its folder swaps are rolled forward (or, when
    that fails too, back). Without a journal it was still being built and is dropped. A set-aside
    old tree comes back when the tree itself is missing; otherwise it is dropped.
    """
    parent, base = os.path.split(os.path.abspath(target))
    if not os.path.isdir(parent):
        return
    names = sorted(os.listdir(parent))
    for name in names:
        path = os.path.join(parent, name)
        if name.startswith(f".{base}.new-") and os.path.isdir(path):
            journal = os.path.join(path, JOURNAL)
            plan = _read_journal(journal)
            if plan is not None and os.path.isdir(target):
                old = path.replace(".new-", ".old-", 1)
                try:
                    _apply_swaps(target, path, old, plan)
                except OSError:
                    _roll_back(target, path, old, plan)
                else:  # rolled forward: what was set aside is the replaced tree (even if made just now)
                    _remove(old)
            _remove(path)
    for name in names:
        path = os.path.join(parent, name)
        if name.startswith(f".{base}.old-") and os.path.isdir(path):
            if not os.path.exists(target):
                os.rename(path, target)
            else:
                _remove(path)


def _read_journal(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            plan = json.load(fh)
    except (OSError, ValueError):
        return None
    ok = isinstance(plan, dict) and all(isinstance(plan.get(k), list) for k in ("replace", "remove"))
    return plan if ok else None


def _remove(path: str) -> str | None:
    """Remove a folder; the first path that could not be removed, or None."""
    failed: list[str] = []
    shutil.rmtree(path, onerror=lambda _func, where, _exc: failed.append(where))
    return failed[0] if failed else None


def _apply_swaps(target: str, staging: str, old: str, plan: dict) -> None:
    """Move each replaced or removed folder aside, then the new ones in. Safe to run again."""
    for folder in plan["replace"] + plan["remove"]:
        current, aside = os.path.join(target, folder), os.path.join(old, folder)
        new = os.path.join(staging, folder)
        replaced_already = folder in plan["replace"] and not os.path.exists(new)
        if os.path.lexists(current) and not os.path.lexists(aside) and not replaced_already:
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


def _roll_back(target: str, staging: str, old: str, plan: dict) -> None:
    """Undo `_apply_swaps` from whatever point it reached: new folders go back to staging, the
    set-aside ones back into the tree. Judged from the disk, so it also undoes a killed run."""
    for folder in plan["replace"]:
        current, new = os.path.join(target, folder), os.path.join(staging, folder)
        if not os.path.lexists(new) and os.path.lexists(current):
            _quietly(os.makedirs, os.path.dirname(new), exist_ok=True)
            _quietly(os.rename, current, new)
    for folder in plan["replace"] + plan["remove"]:
        current, aside = os.path.join(target, folder), os.path.join(old, folder)
        if os.path.lexists(aside) and not os.path.lexists(current):
            _quietly(os.makedirs, os.path.dirname(current), exist_ok=True)
            _quietly(os.rename, aside, current)


def _quietly(func: Callable, *args: object, **kwargs: object) -> None:
    try:
        func(*args, **kwargs)
    except OSError:
        pass


def _swap_failed(target: str, exc: OSError, what: str) -> InputError:
    """The input error for a write or rename that failed: the path, the reason, and that
    generated/ was left as it was."""
    where = os.path.abspath(exc.filename or target)
    parent, base = os.path.split(os.path.abspath(target))
    for tag in ("new", "old"):  # a staged file is shown where it was going to be
        prefix = os.path.join(parent, f".{base}.{tag}-{os.getpid()}")
        if where == prefix or where.startswith(prefix + os.sep):
            where = os.path.abspath(target) + where[len(prefix):]
    shown = os.path.relpath(where)
    return InputError(f"cannot {what}: {exc.strerror or exc}; {base}/ is left as it was", file=shown)


def _write_staged(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:  # a failed write() names no file: name it
        raise OSError(exc.errno, exc.strerror, exc.filename or path) from None


def write_tree(target: str, files: dict[str, str] | dict[str, Unit], state: TreeState | None = None,
               fail_after: int | None = None) -> bool:
    """Make `target` hold exactly the given files (or units); False when it already did.

    All or nothing: the changed folders are built in full in a sibling folder, with a journal,
    and swapped in folder by folder with renames; any failure (a full disk, a folder that cannot
    be moved) undoes the renames already made and is an InputError naming the path. Layouts
    where folders nest (files beside app folders) are swapped whole, with two renames.
    `fail_after` injects a failure after that many files (for tests).
    """
    units = _as_units(files)
    state = state or TreeState(None)
    try:
        recover(target)
    except OSError as exc:
        raise _swap_failed(target, exc, "finish the swap of an earlier run") from None
    stats = _stat_tree(target)
    trusted = state.trusted_keys(target, stats)
    if trusted is not None and trusted == {f: u.key for f, u in units.items()}:
        return False
    on_disk: dict[str, list[str]] = {}
    for rel in stats:
        on_disk.setdefault(os.path.dirname(rel), []).append(rel)
    if trusted is not None:
        changed = {f: u for f, u in units.items() if trusted.get(f) != u.key or f not in on_disk}
    else:
        changed = dict(units)
    new_files = {f: {n: t.encode("utf-8") for n, t in u.load().items()} for f, u in changed.items()}
    for folder, texts in new_files.items():
        for name in texts:
            safe_relpath(os.path.join(folder, name))
    # A folder whose files hold the same bytes (a new gitops version, a tree without a record)
    # needs no swap.
    for folder in list(new_files):
        old_names = {os.path.basename(r) for r in on_disk.get(folder, ())}
        if old_names == set(new_files[folder]) and all(
                _read(target, f"{folder}/{n}") == data for n, data in new_files[folder].items()):
            del new_files[folder]
    removed = sorted(f for f in on_disk if f not in units)
    if not new_files and not removed:
        state.save(target, units, stats)
        return False
    if _nested(set(units) | set(on_disk)):
        _swap_whole(target, units, fail_after)
        state.save(target, units)
        return True
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
                _write_staged(os.path.join(staging, folder, name), data)
        os.makedirs(staging, exist_ok=True)
        _write_staged(os.path.join(staging, JOURNAL), json.dumps(plan).encode("utf-8"))
    except OSError as exc:
        _remove(staging)
        if exc.filename is None:
            raise
        raise _swap_failed(target, exc, "write the new tree") from None
    except BaseException:
        _remove(staging)
        raise
    try:
        _apply_swaps(target, staging, old, plan)
    except OSError as exc:
        _roll_back(target, staging, old, plan)
        _remove(staging)
        _remove(old)
        raise _swap_failed(target, exc, "replace a folder") from None
    _remove(staging)
    _remove(old)  # best effort: a leftover is removed by the next run (`recover`)
    touched = set(plan["replace"]) | set(removed)
    kept = {rel: st for rel, st in stats.items() if os.path.dirname(rel) not in touched}
    for folder in plan["replace"]:
        kept.update({f"{folder}/{rel}": st for rel, st in _stat_tree(os.path.join(target, folder)).items()})
    state.save(target, units, kept)
    return True


def _nested(folders: set[str]) -> bool:
    """True when a folder holding files is the root or lies inside another such folder."""
    if "" in folders:
        return True
    return any(os.path.dirname(f) and any(p in folders for p in _parents(f)) for f in folders)


def _parents(folder: str) -> list[str]:
    out = []
    parent = os.path.dirname(folder)
    while parent:
        out.append(parent)
        parent = os.path.dirname(parent)
    return out


def _swap_whole(target: str, units: dict[str, Unit], fail_after: int | None) -> None:
    """Build the complete tree in a sibling and swap it in with two renames (undone on failure)."""
    staging, old = _siblings(target, "new"), _siblings(target, "old")
    try:
        for count, (rel, text) in enumerate(sorted(
                (safe_relpath(os.path.join(f, n)), t) for f, u in units.items() for n, t in u.load().items())):
            if fail_after is not None and count >= fail_after:
                raise OSError("injected failure while writing generated files")
            os.makedirs(os.path.dirname(os.path.join(staging, rel)), exist_ok=True)
            _write_staged(os.path.join(staging, rel), text.encode("utf-8"))
        os.makedirs(staging, exist_ok=True)
    except OSError as exc:
        _remove(staging)
        if exc.filename is None:
            raise
        raise _swap_failed(target, exc, "write the new tree") from None
    moved = False
    try:
        if os.path.lexists(target):
            os.rename(target, old)
            moved = True
        os.rename(staging, target)
    except OSError as exc:
        if moved:
            _quietly(os.rename, old, target)
        _remove(staging)
        raise _swap_failed(target, exc, "replace the tree") from None
    _remove(old)


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
        elif current[rel] is None:
            result.changed.append(rel)
            result.diffs[rel] = f"committed/{rel}: {_why_unreadable(target, rel)}"
        elif current[rel] != wanted[rel].encode("utf-8"):
            result.changed.append(rel)
            old = (current[rel] or b"").decode("utf-8", errors="replace").splitlines()
            new = wanted[rel].splitlines()
            lines = list(difflib.unified_diff(old, new, f"committed/{rel}", f"from specs/{rel}", lineterm="", n=2))
            if len(lines) > diff_lines:
                lines = lines[:diff_lines] + [f"... ({len(lines) - diff_lines} more diff lines)"]
            result.diffs[rel] = "\n".join(lines)
    return result
