"""A loader process: imports spec files one at a time for the parent (`python -m gitops.spec.loader_process`).

Spec files are user code, so they never run in the gitops process itself: whatever a spec does
(start a thread, loop in C, ignore signals, call os._exit, print) ends with this process, which
the parent can time out and kill. The protocol travels on copies of stdin and stdout made at
start; the spec's own stdin is /dev/null and its stdout is the parent's stderr, so nothing a spec
prints can land in a report.

Messages are length-prefixed pickles: a request is (path, root, apps_dir, env_names, environment), the answer
("ok", [LoadedApp], deps, Inputs) or ("error", [Problem]).
"""
from __future__ import annotations

import os
import pickle
import sys
from typing import BinaryIO

from ..lifetime import die_with_parent
from .frames import read_message, write_message

def _protocol_streams() -> tuple[BinaryIO, BinaryIO]:
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)  # a spec's print() and C-level writes go to stderr
    sys.stdin = open(os.devnull, encoding="utf-8")
    sys.stdout = sys.stderr
    return requests, answers


def main() -> None:
    die_with_parent()
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)
    requests, answers = _protocol_streams()
    sys.dont_write_bytecode = True  # never write __pycache__ into the user's apps/
    from .loader import load_in_this_process
    from .inputs import Recorder

    recorder = Recorder()
    recorder.install()
    write_message(answers, "ready")  # the parent's time limit starts with the first file, not with Python
    while True:
        request = read_message(requests)
        if request is None:
            break
        path, root, apps_dir, env_names, environment = request
        # The spec sees the parent's environment as it is now (a loader may have started earlier),
        # so what it reads matches what the parent fingerprints.
        os.environ.clear()
        os.environ.update(environment)
        answer = load_in_this_process(path, root, apps_dir, env_names, recorder)
        try:
            write_message(answers, answer)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
            from ..errors import Problem

            rel = os.path.relpath(path, root)
            write_message(answers, ("error", [Problem(rel, None, f"its apps cannot be passed on from the loader "
                                                            f"process ({type(exc).__name__}: {exc}); a spec "
                                                            "should hold only plain values")]))
    # os._exit: threads a spec started (daemon or not) must not keep this process alive.
    answers.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
