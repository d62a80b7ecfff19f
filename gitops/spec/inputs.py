"""What a spec file reads besides its own source: files, folder listings, environment variables.

A loader process records them while a spec file runs (`Recorder`, with an audit hook and a
recording `os.environ`), and the spec cache stores them with a fingerprint of each (`Inputs`). An
entry is trusted only while every recorded input still has the same fingerprint, and the input
hash that keys the rendered-file cache covers them, so a spec that reads `apps/fleet.json` or
`$REGION` is loaded and synthesized again when that input changes.

Not recorded (and so not allowed to change a spec's output): the existence of a path without
reading it (`os.path.exists`), the clock, randomness, the network. docs/guarantees.md says so.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator

ALL_VARIABLES = "*"  # the spec read the whole environment (iterated or copied it)
_UNREADABLE = "unreadable"
_SPECIAL = "special"  # not a regular file (a FIFO, /dev/urandom): never the same input twice


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_fingerprint(path: str) -> str | None:
    """The content hash of a regular file; None when it does not exist."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return _UNREADABLE
    if not stat.S_ISREG(info.st_mode):
        return _SPECIAL if not stat.S_ISDIR(info.st_mode) else "folder"
    try:
        with open(path, "rb") as fh:
            return _sha(fh.read())
    except OSError:
        return _UNREADABLE


def listing_fingerprint(path: str) -> str | None:
    try:
        return _sha("\n".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape"))
    except FileNotFoundError:
        return None
    except OSError:
        return _UNREADABLE


def variable_fingerprint(name: str) -> str | None:
    if name == ALL_VARIABLES:
        return _sha("\n".join(f"{k}={v}" for k, v in sorted(os.environ.items())).encode("utf-8", "surrogateescape"))
    value = os.environ.get(name)
    return None if value is None else _sha(value.encode("utf-8", "surrogateescape"))


@dataclass(frozen=True)
class Inputs:
    """Fingerprints of what one spec file read: absolute paths and variable names."""

    files: tuple[tuple[str, str | None], ...] = ()
    listings: tuple[tuple[str, str | None], ...] = ()
    variables: tuple[tuple[str, str | None], ...] = ()

    def unchanged(self) -> bool:
        """True while every input still has the fingerprint it had when the spec ran."""
        return (all(file_fingerprint(p) == f for p, f in self.files)
                and all(listing_fingerprint(p) == f for p, f in self.listings)
                and all(variable_fingerprint(n) == f for n, f in self.variables))

    def volatile(self) -> bool:
        """An input that is never the same twice (a device, a FIFO): such a spec is never cached."""
        return any(f in (_SPECIAL, _UNREADABLE) for _, f in self.files + self.listings)

    def paths(self) -> Iterator[str]:
        yield from (p for p, _ in self.files)
        yield from (p for p, _ in self.listings)

    def key(self) -> list[Any]:
        return [list(self.files), list(self.listings), list(self.variables)]


def _ignored_roots() -> tuple[str, ...]:
    """Python itself and installed packages: reading them is importing code, not reading input."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    roots |= {p for p in sys.path if "site-packages" in p or "dist-packages" in p}
    return tuple(os.path.abspath(r) + os.sep for r in roots if r)


@dataclass
class Recorder:
    """Collects the inputs of the spec file being loaded (inside a loader process only)."""

    active: bool = False
    files: set[str] = field(default_factory=set)
    listings: set[str] = field(default_factory=set)
    variables: set[str] = field(default_factory=set)
    ignored: tuple[str, ...] = ()

    def install(self) -> None:
        self.ignored = _ignored_roots()
        sys.addaudithook(self._hook)
        # A recording copy over the same data (not a clear): os.getenv reads os.environ too.
        os.environ = _RecordingEnviron(self, os.environ)  # noqa: B003

    def start(self) -> None:
        self.files, self.listings, self.variables = set(), set(), set()
        self.active = True

    def stop(self, skip: set[str]) -> Inputs:
        """What was read since start(), fingerprinted; `skip` are files tracked otherwise (the spec
        and the project modules it imported)."""
        self.active = False
        files = sorted(self.files - skip)
        return Inputs(tuple((p, file_fingerprint(p)) for p in files),
                      tuple((p, listing_fingerprint(p)) for p in sorted(self.listings)),
                      tuple((n, variable_fingerprint(n)) for n in sorted(self.variables)))

    def _path(self, value: Any) -> str | None:
        if isinstance(value, bytes):
            value = os.fsdecode(value)
        if not isinstance(value, str):
            return None  # a file descriptor: the open that made it was recorded
        path = os.path.abspath(value)
        if path.startswith(self.ignored) or f"{os.sep}__pycache__{os.sep}" in path:
            return None
        return path

    def _hook(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            path = self._path(args[0])
            if path:
                self.files.add(path)
        elif event in ("os.listdir", "os.scandir"):
            path = self._path(args[0] if args and args[0] is not None else ".")
            if path:
                self.listings.add(path)

    def variable(self, name: Any) -> None:
        if self.active:
            self.variables.add(name if isinstance(name, str) else ALL_VARIABLES)


class _RecordingEnviron(type(os.environ)):  # type: ignore[misc]
    """os.environ that tells the recorder which variables a spec reads."""

    def __init__(self, recorder: Recorder, environ: Any):
        super().__init__(environ._data, environ.encodekey, environ.decodekey, environ.encodevalue,
                         environ.decodevalue)
        self._recorder = recorder

    def __getitem__(self, key: Any) -> Any:
        self._recorder.variable(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        self._recorder.variable(key)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[Any]:
        self._recorder.variable(None)
        return super().__iter__()

    def __len__(self) -> int:
        self._recorder.variable(None)
        return super().__len__()
