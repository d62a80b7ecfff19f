"""The project as it is at another git ref: a temporary worktree, synthesized, then removed.

The base of a pull request is checked out with a real `git worktree add --detach` into a temporary
folder that is removed afterwards, also when synthesis fails or the run is interrupted (SIGINT and
SIGTERM). Only what synthesis reads is checked out (gitops.yaml, the apps, policies and schemas
folders), not generated/, which on a large fleet is most of the files. The base's specs are
imported from that worktree with this checkout's code and cache folder: synthesis is cached by
content, so apps that did not change are cache hits.

The cheap path: when a change touches only some spec files, only those apps are synthesized and
checked on the base side; a change to anything shared (config, policies, schemas, helper modules
under apps/, the gitops package, pyproject.toml) means all.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from .. import config as config_mod
from ..config import CONFIG_FILE, Config
from ..errors import InputError, Problem
from ..lifetime import note_worktree
from ..synth.pipeline import Synthesis, synthesize, targets_for
from ..spec.loader import SpecCache, load_apps
from ..synth.engine import code_hash

WORKING_TREE = None  # `head` value meaning the files on disk, committed or not
# Files outside the apps folder whose change can alter every app's output or findings.
SHARED_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
SHARED_FOLDERS = ("gitops",)


@dataclass(frozen=True)
class Scope:
    """What a change touches: every app (`everything`) or only the apps of these spec files."""

    everything: bool
    spec_files: frozenset[str] = frozenset()  # relative to the project root
    reason: str = ""
    inputs: frozenset[str] = frozenset()  # files the specs in scope read, relative to the repository

    def includes(self, spec_file: str | None) -> bool:
        return self.everything or (spec_file or "") in self.spec_files


def git(repo: str, *args: str, check: bool = True) -> str:
    try:
        proc = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise InputError("git is not installed; --base needs it") from None
    if check and proc.returncode != 0:
        raise InputError(f"git {' '.join(args)} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout if proc.returncode == 0 else ""


def toplevel(path: str) -> str:
    out = git(path, "rev-parse", "--show-toplevel", check=False).strip()
    if not out:
        raise InputError(f"{path} is not inside a git repository; --base needs one")
    return out


def resolve(repo: str, ref: str) -> str:
    """The commit a ref names; an input error naming the ref when git does not know it."""
    out = git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).strip()
    if not out:
        raise InputError(f"unknown git ref {ref!r}: fetch it first (in CI: actions/checkout with fetch-depth: 0)")
    return out


def merge_base(repo: str, base: str, head: str | None) -> str:
    """Where the change forked from `base`: what a pull request is compared against."""
    head_commit = resolve(repo, head or "HEAD")
    out = git(repo, "merge-base", resolve(repo, base), head_commit, check=False).strip()
    if out:
        return out
    # Comparing with the base tip instead would show the base's own later changes as reverted.
    where = f"{base} and {head or 'HEAD'}"
    if git(repo, "rev-parse", "--is-shallow-repository", check=False).strip() == "true":
        raise InputError(f"no merge base of {where} in this shallow clone: fetch more history, e.g. "
                         f"`git fetch --deepen=100 origin {base}` (repeat until found) or `git fetch --unshallow` "
                         "(in GitHub Actions: actions/checkout with fetch-depth: 0)")
    raise InputError(f"{where} share no history (no merge base): compare with a ref this branch was made from")


@contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt meanwhile, so `finally` clean-ups run when CI cancels a job."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def worktree(repo: str, ref: str) -> Iterator[str]:
    """A detached worktree of `ref` (nothing checked out yet) in a temporary folder; always removed."""
    commit = resolve(repo, ref)
    holder = tempfile.mkdtemp(prefix="gitops-ref-")
    path = os.path.join(holder, "tree")
    with _interrupt_on_sigterm():
        try:
            git(repo, "worktree", "prune", check=False)  # registrations whose folder is gone
            note_worktree(repo, path)  # first: a run killed inside `git worktree add` is cleaned up too
            git(repo, "worktree", "add", "--detach", "--no-checkout", "--quiet", path, commit)
            yield path
        finally:
            git(repo, "worktree", "remove", "--force", path, check=False)
            shutil.rmtree(holder, ignore_errors=True)
            git(repo, "worktree", "prune", check=False)


def _checkout(tree: str, paths: list[str]) -> None:
    """Check out those of `paths` (files or folders, relative to the worktree) that exist at HEAD."""
    listed = set(git(tree, "ls-tree", "--name-only", "HEAD", "--", *paths, check=False).splitlines()) if paths else set()
    present = [p for p in paths if p.rstrip("/") in listed]
    if present:
        git(tree, "checkout", "HEAD", "--", *present)


def _project_config(tree: str, prefix: str, cache_folder: str) -> Config:
    project = os.path.normpath(os.path.join(tree, prefix))
    _checkout(tree, [_join(prefix, CONFIG_FILE)])
    config = config_mod.load(project)
    # This checkout's cache: the cache is keyed by content, so unchanged apps are hits.
    return dataclasses.replace(config, cache_dir=cache_folder)


def _join(prefix: str, rel: str) -> str:
    return rel if prefix in ("", ".") else f"{prefix}/{rel}"


def _targets(config: Config, scope: Scope | None, spec_cache: bool) -> list:
    """The targets of the apps in scope. The spec cache is only used for this checkout: its entries
    are validated against helper modules by absolute path, which a worktree does not share."""
    cache = SpecCache(config.path(config.cache_dir), code_hash(), config.env_names) if spec_cache else None
    only = None if scope is None or scope.everything else set(scope.spec_files)
    apps = load_apps(config.path(config.apps_dir), config.root, config.env_names, cache, only=only)
    return targets_for(config, apps)


def synthesize_at(config: Config, ref: str, scope: Scope | None = None, use_cache: bool = True) -> Synthesis:
    """Synthesize the project as it is at `ref` (only the apps in `scope`, when given)."""
    repo = toplevel(config.root)
    prefix = os.path.relpath(config.root, repo)
    cache_folder = config.path(config.cache_dir)
    with worktree(repo, ref) as tree:
        at = _project_config(tree, prefix, cache_folder)
        folders = [at.policies_dir, at.schemas_dir]
        if scope is None or scope.everything:
            folders.append(at.apps_dir)
        else:  # helpers beside the specs are importable, so they come too
            folders += sorted(scope.spec_files) + _helpers(tree, prefix, at.apps_dir)
        _checkout(tree, [_join(prefix, f) for f in folders] + sorted(scope.inputs if scope else ()))
        try:
            return _partial(synthesize(at, use_cache=use_cache, targets=_targets(at, scope, spec_cache=False)), scope)
        except InputError as exc:
            raise InputError(problems=[Problem(p.file, p.line, f"{p.message} (at {ref})") for p in exc.problems]) from None


def _helpers(tree: str, prefix: str, apps_dir: str) -> list[str]:
    """Files under the apps folder that are not specs (_common.py, _lib/, data files): specs may
    import or read them."""
    folder = _join(prefix, apps_dir)
    out = []
    for name in git(tree, "ls-tree", "-r", "--name-only", "HEAD", "--", folder, check=False).splitlines():
        inside = name[len(folder) + 1:]
        if any(part.startswith(("_", ".")) for part in inside.split("/")) or not inside.endswith(".py"):
            out.append(f"{apps_dir}/{inside}")
    return out


def synthesize_scope(config: Config, scope: Scope, use_cache: bool = True) -> Synthesis:
    """Synthesize the working tree, only the apps in `scope`."""
    return _partial(synthesize(config, use_cache=use_cache, targets=_targets(config, scope, spec_cache=use_cache)), scope)


def _partial(synthesis: Synthesis, scope: Scope | None) -> Synthesis:
    """Marks a synthesis of only some apps: the folders made from every app (delivery) are not
    its to lay out or check (a change that alters them widens the scope to every app)."""
    return synthesis if scope is None or scope.everything else dataclasses.replace(synthesis, partial=True)


def changed_files(repo: str, base: str, head: str | None = WORKING_TREE) -> list[str]:
    """Files (relative to the repository) that differ between the fork point and head.

    With head = the working tree, uncommitted and untracked files count too.
    """
    fork = merge_base(repo, base, head)
    if head is WORKING_TREE:
        names = git(repo, "diff", "--name-only", "--no-renames", fork).splitlines()
        names += git(repo, "ls-files", "--others", "--exclude-standard").splitlines()
    else:
        names = git(repo, "diff", "--name-only", "--no-renames", fork, resolve(repo, head)).splitlines()
    return sorted({n for n in names if n})


def scope_of(config: Config, files: list[str], repo: str) -> Scope:
    """Which apps a list of changed files (relative to the repository) can affect."""
    prefix = os.path.relpath(config.root, repo)
    specs: set[str] = set()
    for name in files:
        rel = name if prefix in ("", ".") else os.path.relpath(name, prefix)
        if rel.startswith(".." + os.sep) or rel == "..":
            continue  # outside the project
        first = rel.split("/", 1)[0]
        if rel == CONFIG_FILE or rel in SHARED_FILES or first in SHARED_FOLDERS:
            return Scope(True, reason=f"{rel} changed")
        for folder in (config.policies_dir, config.schemas_dir):
            if rel == folder or rel.startswith(folder + "/"):
                return Scope(True, reason=f"{rel} changed")
        if rel.startswith(config.apps_dir + "/"):
            inside = rel[len(config.apps_dir) + 1:]
            hidden = any(part.startswith((".", "_")) for part in inside.split("/"))
            if rel.endswith(".py") and not hidden:
                specs.add(rel)
            elif rel.endswith(".py") or not hidden:
                return Scope(True, reason=f"{rel} (not a spec file) changed")
    return Scope(False, frozenset(specs))


def with_spec_inputs(config: Config, scope: Scope, files: list[str], repo: str, use_cache: bool = True) -> Scope:
    """`scope` plus the spec files that read a changed file (or list a folder where a file changed)
    or read environment variables, which git does not hold, so their output can change with no
    commit at all. The files those specs read come along to the base's checkout."""
    if scope.everything:
        return scope
    cache = SpecCache(config.path(config.cache_dir), code_hash(), config.env_names) if use_cache else None
    apps = load_apps(config.path(config.apps_dir), config.root, config.env_names, cache)
    changed = set()
    for name in files:
        path = os.path.normpath(os.path.join(repo, name))
        while path.startswith(repo + os.sep):
            changed.add(path)
            path = os.path.dirname(path)
    specs = set(scope.spec_files)
    specs |= {a.exposed_by for a in apps if a.exposed_by and (a.reads_environment or changed & set(a.reads))}
    inputs = {os.path.relpath(p, repo) for a in apps if a.exposed_by in specs for p in a.reads
              if p.startswith(repo + os.sep)}
    return dataclasses.replace(scope, spec_files=frozenset(specs), inputs=frozenset(inputs))


def changed_scope(config: Config, base: str, head: str | None = WORKING_TREE) -> Scope:
    repo = toplevel(config.root)
    return scope_of(config, changed_files(repo, base, head), repo)


__all__ = ["Scope", "WORKING_TREE", "changed_files", "changed_scope", "merge_base", "scope_of",
           "synthesize_at", "synthesize_scope", "with_spec_inputs", "worktree"]
