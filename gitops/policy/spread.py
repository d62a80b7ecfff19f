"""`gitops policy` on two processes: a helper reads the first share of the files (by bytes) while
this process reads the rest, and later finds the lines of the findings in the files it read.

The rules need every object at once, so they run here; reading (parsing YAML) and finding lines
(reading each document's lines again) are per file, and were two thirds of a run on real-world
manifests. Results are joined in file order, so the output is the same as on one process.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Any, Sequence

from ..lifetime import die_with_parent
from ..manifests.locate import document, parse_path
from ..manifests.reader import ReadResult, iter_manifest_files, read_files

# Below this many bytes in all, forking and sending the objects back costs more than it saves.
PARALLEL_MIN_BYTES = 512 << 10

Request = tuple[str, int, list[str]]  # file, line of the resource, the JSON paths asked for


class Helper:
    """The other process: it read `files`, and answers where paths are in them."""

    def __init__(self, process: Any, conn: Any, files: frozenset[str]):
        self.process, self.conn, self.files = process, conn, files

    def places(self, requests: list[Request]) -> list[list[tuple[int, int] | None]]:
        self.conn.send(requests)
        return _receive(self.process, self.conn)

    def close(self) -> None:
        self.conn.close()
        self.process.join()


def read(paths: Sequence[str], jobs: int | None = None) -> tuple[ReadResult, Helper | None]:
    """Every manifest under `paths`, read on two processes when the files are many bytes."""
    files = list(iter_manifest_files(paths))
    sizes = [_size(f) for f in files]
    total = sum(sizes)
    jobs = jobs or min(os.cpu_count() or 1, 2)
    if jobs < 2 or len(files) < 2 or total < PARALLEL_MIN_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return read_files(files), None
    split, filled = 0, 0
    while split < len(files) - 1 and filled < total // 2:
        filled += sizes[split]
        split += 1
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(files[:split], theirs, mine), daemon=True)
    process.start()
    theirs.close()
    helper = Helper(process, mine, frozenset(files[:split]))
    ours = read_files(files[split:])
    first: ReadResult = _receive(process, mine)
    return ReadResult(resources=first.resources + ours.resources, findings=first.findings + ours.findings,
                      files=first.files + ours.files, templates=first.templates + ours.templates), helper


def places(requests: list[Request]) -> list[list[tuple[int, int] | None]]:
    """For each document asked about, the place of each of its paths (see `manifests.locate`)."""
    out = []
    for file, line, paths in requests:
        found = document(file, line)
        out.append([found.place(parse_path(p)) if found is not None else None for p in paths])
    return out


def _serve(files: list[str], conn: Any, parent_end: Any) -> None:
    die_with_parent()  # a killed `gitops policy` leaves no helper behind
    parent_end.close()  # else the end of the requests would never be seen here
    try:
        conn.send(read_files(files))
        while True:
            try:
                requests = conn.recv()
            except EOFError:
                return
            conn.send(places(requests))
    finally:
        conn.close()


def _receive(process: Any, conn: Any) -> Any:
    try:
        return conn.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"the policy helper process ended without a result (exit code {process.exitcode})") from None


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
