"""Write a generated document, or with `--check` only say whether the committed one is stale."""
from __future__ import annotations

import os
import sys


def write_or_check(root: str, docs: dict[str, str], check: bool, command: str) -> int:
    """`docs` maps a path under `root` to its text. Returns 1 when `check` finds one stale, else 0."""
    stale = []
    for doc, text in docs.items():
        path = os.path.join(root, doc)
        if check:
            try:
                with open(path, encoding="utf-8") as fh:
                    current = fh.read()
            except OSError:
                current = ""
            if current != text:
                stale.append(doc)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {doc}")
    for doc in stale:
        print(f"{doc} is stale: run `{command}` (make docs)", file=sys.stderr)
    return 1 if stale else 0
