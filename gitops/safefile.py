"""Opening input files safely: regular files only, with a size limit.

A FIFO blocks a reader forever, and `/dev/zero` (or a symlink to it) never ends: reading either
hangs the tool or fills memory. Files are opened without blocking, checked with fstat (on the
opened descriptor, so a swap between check and read changes nothing), and refused unless they
are regular files within the limit the caller gives.
"""
from __future__ import annotations

import os
import stat
from typing import BinaryIO

MIB = 1024 * 1024


class UnsafeFile(OSError):
    """Not a regular file, or larger than the caller accepts; `strerror` says which."""


def kind_of(mode: int) -> str:
    """A file type in words ('a FIFO', 'a character device', …)."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"),
                       (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: str, follow_symlinks: bool = True) -> tuple[BinaryIO, int]:
    """(file, size) of a regular file; UnsafeFile for anything else, OSError when it cannot be opened."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_symlinks and os.path.islink(path):
            raise UnsafeFile(exc.errno, "a symbolic link, not a regular file: not read", path) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(0, f"{kind_of(info.st_mode)}, not a regular file: not read", path)
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str, limit: int, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; UnsafeFile otherwise."""
    fh, size = open_regular(path, follow_symlinks)
    with fh:
        if size > limit:
            raise UnsafeFile(0, f"{size / MIB:.1f} MiB, over the limit of {limit / MIB:g} MiB: not read", path)
        data = fh.read(limit + 1)  # a file that grows meanwhile still stops at the limit
    if len(data) > limit:
        raise UnsafeFile(0, f"over the limit of {limit / MIB:g} MiB: not read", path)
    return data


__all__ = ["MIB", "UnsafeFile", "kind_of", "open_regular", "read_regular"]
