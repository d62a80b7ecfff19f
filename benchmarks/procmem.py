"""Peak memory of a tool under measurement: proportional set size over its whole process tree."""
from __future__ import annotations

import os


def process_tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    queue += [int(p) for p in fh.read().split()]
        except OSError:
            pass
    return pids


def memory_kb(pid: int) -> int:
    """Proportional set size summed over the process tree (pages shared after a fork counted once)."""
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/smaps_rollup") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
        except OSError:
            pass
    return total
