"""Child processes die with their parent, and every run cleans what killed runs left behind.

- **Children** (synthesis workers, Node, spec loaders): on Linux each child asks the kernel for
  SIGKILL when its parent dies (`prctl(PR_SET_PDEATHSIG)`, through ctypes), so a SIGKILLed
  `gitops` leaves no worker and no Node behind. Python workers call `die_with_parent` first thing;
  Node is started by jsii with `subprocess.Popen`, which gets the same call between fork and exec
  (`node_dies_with_parent`). Node's own child (jsii's `program.js`) exits when its parent's pipe
  closes. Elsewhere (no prctl) children end when their pipe to the parent closes, a little later.
- **Temporary files**: a real `gitops` process points TMPDIR (and Python's tempfile) at a folder of
  its own, `gitops-run-<pid>-*`, so jsii's runtime copies, Node's `jsii-kernel-*` folders and
  `--base` worktrees all land in it. The folder holds an `flock`ed file while the run lives; it is
  removed at exit, and any run that finds one whose lock is free (its owner died) removes it,
  with the git worktrees recorded in it.
"""
from __future__ import annotations

import atexit
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

RUN_PREFIX = "gitops-run-"
ALIVE = ".alive"
WORKTREES = ".worktrees"
_PR_SET_PDEATHSIG = 1

_prctl_cache: list = []


def _prctl():
    """libc's prctl on Linux (None elsewhere); looked up once, before any fork that needs it."""
    if not _prctl_cache:
        found = None
        if sys.platform.startswith("linux"):
            import ctypes
            import ctypes.util

            try:
                found = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
            except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
                found = None
        _prctl_cache.append(found)
    return _prctl_cache[0]


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask for SIGKILL when the parent dies; exit at once when it already has."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the request took effect


def _pdeathsig_between_fork_and_exec() -> None:
    prctl = _prctl_cache[0]  # looked up by node_dies_with_parent, before the fork
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class _SubprocessWithPdeathsig:
    """The subprocess module as jsii sees it: Popen asks for SIGKILL when the parent dies."""

    def __getattr__(self, name: str):
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args, **kwargs):  # noqa: N802 - the name jsii calls
        # The kernel ties PDEATHSIG to the thread that forks: only the main thread's children get it.
        if threading.current_thread() is threading.main_thread():
            kwargs.setdefault("preexec_fn", _pdeathsig_between_fork_and_exec)
        return subprocess.Popen(*args, **kwargs)


def node_dies_with_parent() -> None:
    """Make the Node process jsii starts die with this process (call before cdk8s is imported)."""
    if _prctl() is None:
        return
    from jsii._kernel.providers import process as jsii_process

    jsii_process.subprocess = _SubprocessWithPdeathsig()  # type: ignore[assignment]


# --- the run folder --------------------------------------------------------------------------------

_run_folder: str | None = None


def start_run_folder() -> str:
    """Give this process a temporary folder of its own (TMPDIR for it and its children), after
    removing the folders of earlier runs that died. Removed again at exit."""
    global _run_folder
    if _run_folder is not None:
        return _run_folder
    base = tempfile.gettempdir()
    clean_stale_runs(base)
    folder = tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-", dir=base)
    fd = os.open(os.path.join(folder, ALIVE), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held until this process ends, however it ends
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder
    _run_folder = folder
    atexit.register(_remove_run_folder, folder, fd)
    return folder


def _remove_run_folder(folder: str, fd: int) -> None:
    _remove_worktrees(folder)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        os.close(fd)
    except OSError:
        pass


def clean_stale_runs(base: str) -> list[str]:
    """Remove the run folders under `base` whose owner is gone (its lock is free); their paths."""
    removed: list[str] = []
    try:
        names = [n for n in os.listdir(base) if n.startswith(RUN_PREFIX)]
    except OSError:
        return removed
    for name in names:
        folder = os.path.join(base, name)
        try:
            fd = os.open(os.path.join(folder, ALIVE), os.O_RDWR | os.O_CLOEXEC)
        except OSError as exc:
            if exc.errno == errno.ENOENT and os.path.isdir(folder) and _older_than(folder, 60):
                shutil.rmtree(folder, ignore_errors=True)  # died before its lock file existed
                removed.append(folder)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # alive
        _remove_worktrees(folder)
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
        removed.append(folder)
    return removed


def _older_than(path: str, seconds: float) -> bool:
    import time

    try:
        return time.time() - os.stat(path).st_mtime > seconds
    except OSError:
        return False


def note_worktree(repo: str, path: str) -> None:
    """Record a git worktree made by this run, so that whoever cleans the run folder unregisters it."""
    if _run_folder is None or not path.startswith(_run_folder + os.sep):
        return
    with open(os.path.join(_run_folder, WORKTREES), "a", encoding="utf-8") as fh:
        fh.write(repo + "\0" + path + "\n")


def _remove_worktrees(folder: str) -> None:
    try:
        with open(os.path.join(folder, WORKTREES), encoding="utf-8") as fh:
            entries = [line.rstrip("\n").split("\0") for line in fh if "\0" in line]
    except OSError:
        return
    for repo, path in entries:
        subprocess.run(["git", "-C", repo, "worktree", "remove", "--force", path], capture_output=True)
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(["git", "-C", repo, "worktree", "prune"], capture_output=True)


__all__ = ["clean_stale_runs", "die_with_parent", "node_dies_with_parent", "note_worktree", "start_run_folder"]
