"""The messages between gitops and its loader processes: a length, then a pickle."""
from __future__ import annotations

import pickle
import struct
from typing import Any, BinaryIO

HEADER = struct.Struct(">Q")


def encode(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def write_message(out: BinaryIO, message: Any) -> None:
    out.write(encode(message))
    out.flush()


def read_message(stream: BinaryIO) -> Any | None:
    """The next message, or None at the end of the stream."""
    header = _read_exactly(stream, HEADER.size)
    body = _read_exactly(stream, HEADER.unpack(header)[0]) if header is not None else None
    return None if body is None else pickle.loads(body)


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data
