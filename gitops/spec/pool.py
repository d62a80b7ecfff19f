"""Loader processes (gitops.spec.loader_process), run from the gitops process with a time limit per file.

A file that runs past the limit, or whose process ends in any other way than answering (exit,
os._exit, a signal, a crash in C), is an input error naming the file; its process is killed and
replaced for the files still waiting. Processes start only when some file must be loaded (cache
hits need none) and are shut down when the batch is done, whatever threads a spec left running.
"""
from __future__ import annotations

import atexit
import os
import pickle
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from .frames import HEADER, encode

DEFAULT_TIMEOUT = 60.0
TIMEOUT_VARIABLE = "GITOPS_SPEC_TIMEOUT"
MAX_PROCESSES = 4
FILES_PER_PROCESS = 20
STARTUP_LIMIT = 120.0  # a loader process that has not started by then points at a broken install


def spec_timeout() -> float:
    """Seconds one spec file may take to load: $GITOPS_SPEC_TIMEOUT, else 60."""
    try:
        value = float(os.environ.get(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


@dataclass
class _Process:
    proc: subprocess.Popen
    job: tuple[str, str] | None = None  # (rel, path) being loaded
    deadline: float = 0.0
    ready: bool = False  # it has started and said so
    buffer: bytearray = field(default_factory=bytearray)

    @property
    def fd(self) -> int:
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def send(self, message: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(encode(message))
        self.proc.stdin.flush()

    def answer(self) -> Any | None:
        """The complete answer in the buffer, if one has arrived."""
        if len(self.buffer) < HEADER.size:
            return None
        size = HEADER.unpack(self.buffer[:HEADER.size])[0]
        if len(self.buffer) < HEADER.size + size:
            return None
        data = bytes(self.buffer[HEADER.size:HEADER.size + size])
        del self.buffer[:HEADER.size + size]
        return pickle.loads(data)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass


# A loader runs the same gitops as this process, whatever folder named `gitops` the current
# directory or the project holds: the package's home goes first on its path while it is imported,
# and leaves again so specs see the path they would see anyway (-P: not the current directory).
_PACKAGE_HOME = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_BOOT = ("import sys; home = sys.argv.pop(1); sys.path.insert(0, home); "
         "from gitops.spec.loader_process import main; sys.path.remove(home); main()")
_PRESTARTED: list[_Process] = []


def prestart() -> None:
    """Start one loader now, so its start-up (importing the spec model) overlaps the parent's own
    imports; the next load_files adopts it, and it is stopped at exit when no file needed it."""
    if not _PRESTARTED:
        _PRESTARTED.append(_new())
        atexit.register(_discard_prestarted)


def _discard_prestarted() -> None:
    while _PRESTARTED:
        _stop(_PRESTARTED.pop())


def _start() -> _Process:
    return _PRESTARTED.pop() if _PRESTARTED else _new()


def _new() -> _Process:
    proc = subprocess.Popen([sys.executable, "-P", "-c", _BOOT, _PACKAGE_HOME], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=None, close_fds=True)
    return _Process(proc)


def _ended(rel: str, proc: subprocess.Popen) -> Problem:
    code = proc.returncode
    if code is not None and code < 0:
        try:
            how = f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
    else:
        how = f"exited with code {code} (sys.exit, os._exit or a crash)"
    return Problem(rel, None, f"the spec file ended its loader process before it finished loading: the process "
                   f"{how}; a spec file should only build apps")


def load_files(jobs: list[tuple[str, str]], root: str, apps_dir: str, env_names: tuple[str, ...],
               processes: int | None = None, timeout: float | None = None) -> dict[str, Any]:
    """Load each (rel, path) in a loader process: rel -> the worker's answer, or ("error", [Problem])."""
    if not jobs:
        return {}
    timeout = spec_timeout() if timeout is None else timeout
    # Starting a loader costs about as much as loading 10-20 small spec files: more processes only
    # pay off for many files.
    wanted = processes or min(os.cpu_count() or 1, MAX_PROCESSES, -(-len(jobs) // FILES_PER_PROCESS))
    count = max(1, min(wanted, len(jobs)))
    waiting = list(reversed(jobs))
    results: dict[str, Any] = {}
    running: list[_Process] = []
    selector = selectors.DefaultSelector()

    def start() -> None:
        worker = _start()
        running.append(worker)
        selector.register(worker.fd, selectors.EVENT_READ, worker)
        worker.deadline = time.monotonic() + STARTUP_LIMIT

    def retire(worker: _Process, problem: Problem | None) -> None:
        """Kill a loader whose file failed it; start another for the files still waiting."""
        if worker.job and problem:
            results[worker.job[0]] = ("error", [problem])
        selector.unregister(worker.fd)
        worker.kill()
        running.remove(worker)
        if waiting:
            start()

    def give_work(worker: _Process) -> None:
        worker.job = None
        if not waiting:
            return
        job = waiting.pop()
        worker.job, worker.deadline = job, time.monotonic() + timeout
        try:
            worker.send((job[1], root, apps_dir, env_names, dict(os.environ)))
        except OSError:  # it died before this job (a broken pipe): the read side will tell
            pass

    try:
        for _ in range(count):
            start()
        while waiting or any(w.job for w in running):
            timed = [w for w in running if w.job or not w.ready]
            wait = max(0.0, min(w.deadline for w in timed) - time.monotonic())
            for key, _ in selector.select(wait):
                worker = key.data
                if worker not in running:
                    continue
                chunk = os.read(worker.fd, 1 << 20)
                if not chunk:  # the process ended without answering
                    worker.proc.wait()
                    if not worker.ready:
                        raise RuntimeError(f"a spec loader process ended as it started (exit code "
                                           f"{worker.proc.returncode}); see the messages above")
                    retire(worker, _ended(worker.job[0], worker.proc) if worker.job else None)
                    continue
                worker.buffer += chunk
                answer = worker.answer()
                if answer == "ready" and not worker.ready:
                    worker.ready = True
                    give_work(worker)
                elif answer is not None and worker.job:
                    results[worker.job[0]] = answer
                    give_work(worker)
            now = time.monotonic()
            for worker in [w for w in running if not w.ready and w.deadline <= now]:
                retire(worker, None)
                raise RuntimeError(f"a spec loader process did not start within {STARTUP_LIMIT:g} s")
            for worker in [w for w in running if w.job and w.deadline <= now]:
                rel = worker.job[0] if worker.job else ""
                retire(worker, Problem(rel, None, f"took longer than {timeout:g} s to load (an endless loop?); "
                                       f"a spec file should only build apps (the limit is ${TIMEOUT_VARIABLE})"))
    finally:
        for worker in running:
            _stop(worker)
        selector.close()
    return results


def _stop(worker: _Process) -> None:
    """Close its requests: an idle loader exits at once (os._exit, whatever threads remain); a busy
    one (the run was interrupted) is killed."""
    if worker.job:
        worker.kill()
        return
    try:
        if worker.proc.stdin:
            worker.proc.stdin.close()
    except OSError:
        pass
    try:
        worker.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    worker.kill()
