"""One writer at a time: a lock on the project held by every command that writes generated/ or
the cache folder (exclusive), and by every command that reads generated/ (shared, so that checks
run side by side but never see a swap half done).

The lock is `flock` on a file in the cache folder. The kernel drops it when the holder exits in
any way (SIGKILL included), so a killed run never leaves it held; the descriptor is not inherited
by child processes (Python opens files close-on-exec), so an orphaned worker cannot keep it
either. The holder writes its pid and command line into the file so that a second run can say who
it is waiting for. A second run waits up to GITOPS_LOCK_WAIT seconds (default 120), then exits 2.
"""
from __future__ import annotations

import errno
import fcntl
import os
import sys
import time

from .errors import InputError

LOCK_NAME = "lock"
NOTES = ".holders"  # beside the lock file: one note per holder, named by its pid
DEFAULT_WAIT = 120.0
POLL = 0.1


class ProjectLock:
    """The lock on one project, exclusive or shared; `acquire` waits (bounded), `release` is idempotent."""

    def __init__(self, cache_folder: str):
        self.path = os.path.join(cache_folder, LOCK_NAME)
        self._fd: int | None = None

    def acquire(self, wait: float | None = None, on_wait=None, shared: bool = False) -> None:
        wait = _wait_limit() if wait is None else wait
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            if shared and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                return  # a read-only checkout: nobody can write generated/ there, a reader needs no lock
            raise InputError(f"cannot create the lock file: {exc.strerror or exc}", file=self.path) from None
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise InputError(f"cannot lock: {exc.strerror or exc}", file=self.path) from None
            if time.monotonic() >= deadline:
                holder = holder_of(self.path)
                os.close(fd)
                raise InputError(f"another gitops run holds this project ({holder}); waited {wait:g}s. "
                                 "Wait for it to finish, or stop it (set GITOPS_LOCK_WAIT to wait longer)",
                                 file=self.path)
            if not told and on_wait is not None:
                on_wait(holder_of(self.path))
                told = True
            time.sleep(POLL)
        self._fd = fd
        _write_note(self.path)

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            _remove(os.path.join(self.path + NOTES, str(os.getpid())))
            os.close(fd)  # closing the descriptor drops the flock

    def __enter__(self) -> "ProjectLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder_of(path: str) -> str:
    """Who holds the lock, from the holders' notes: 'pid N: command' for each live holder."""
    notes = []
    for pid, command in _notes(path):
        if _alive(pid):
            notes.append(f"pid {pid}: {command}")
    return "; ".join(notes) or "holder unknown"


def _write_note(path: str) -> None:
    """Note this holder (one small file per holder: readers share the lock); drop notes of the dead."""
    folder = path + NOTES
    try:
        os.makedirs(folder, exist_ok=True)
        for pid, _ in _notes(path):
            if not _alive(pid):
                _remove(os.path.join(folder, str(pid)))
        with open(os.path.join(folder, str(os.getpid())), "w", encoding="utf-8") as fh:
            fh.write(_command_line())
    except OSError:
        pass  # the lock holds without the note; the note only names the holder


def _notes(path: str) -> list[tuple[int, str]]:
    folder = path + NOTES
    try:
        names = [n for n in os.listdir(folder) if n.isdigit()]
    except OSError:
        return []
    out = []
    for name in sorted(names):
        try:
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as fh:
                out.append((int(name), fh.read(400).strip()))
        except OSError:
            continue
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _command_line() -> str:
    args = [os.path.basename(sys.argv[0]) if sys.argv else "gitops", *sys.argv[1:]]
    if args[0] in ("__main__.py", "-m", "-c"):
        args[0] = "gitops"
    return " ".join(args)[:300]


def _wait_limit() -> float:
    try:
        return max(0.0, float(os.environ.get("GITOPS_LOCK_WAIT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


__all__ = ["ProjectLock", "holder_of"]
