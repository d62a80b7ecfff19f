"""Files in the tool's cache folder: written whole or not at all, and never an error."""
from __future__ import annotations

import os


def write_cache_file(path: str, data: bytes) -> None:
    """Write `data` to `path` through a temporary sibling and a rename, so a reader never sees
    half a file. A cache that cannot be written only costs time: failures are ignored."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
