"""Where the time goes: one run of a gitops command under cProfile, its functions' own time summed
into named stages by the module (or the function) they belong to.

    python benchmarks/stages.py validate DIR -k 1.33 --ignore-missing-schemas -j 1

cProfile adds a fixed cost to every Python call, so stages made of many small calls look dearer
than they are: the shares are a guide to where time goes, not a measurement of it.
"""
from __future__ import annotations

import os
import pstats
import subprocess
import sys
import tempfile

# (stage, what marks its functions: a path fragment of the file, or a fragment of the function's name)
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("start-up: imports and module set-up", ("<frozen importlib", "<module>", "builtins.compile", "marshal.loads",
                                             "builtins.__build_class__", "dataclasses.py", "typing.py")),
    ("finding lines of findings", ("manifests/locate.py", "manifests/blockpaths.py", "policy/lines.py")),
    ("reading YAML (yaml-rs, libyaml, the YAML 1.1 checks)", ("gitops/manifests/", "yaml_rs", "/yaml/", "_yaml.",
                                                              "safefile.py")),
    ("API-server checks", ("gitops/apiserver/",)),
    ("schema evaluation (jsonschema-rs)", ("jsonschema_rs", "gitops/schema/")),
    ("policy rules and engine", ("gitops/policy/", "gitops/catalog/")),
    ("cluster checks (admission)", ("gitops/admission/",)),
    ("report (text, JSON)", ("gitops/report/", "gitops/findings.py")),
    ("waiting for the other process", ("poll' of", "recv", "connection.py", "multiprocessing/")),
]


def profile(args: list[str], cwd: str) -> tuple[float, list[tuple[str, float]]]:
    """(total seconds under the profiler, [(stage, share of the total)]) for `gitops ARGS`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.prof")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-m", "cProfile", "-o", out, "-m", "gitops", *args], cwd=cwd, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stats = pstats.Stats(out).stats  # type: ignore[attr-defined]
    sums: dict[str, float] = {}
    for (file, _line, name), (_cc, _nc, own, _cum, callers) in stats.items():
        if file == "~" and callers:
            # a built-in (dict.get, a regular expression, a read): its time counts for whoever called it
            for (caller_file, _, caller_name), (_, _, from_there, _) in callers.items():
                stage = _stage(f"{caller_file}:{caller_name}")
                sums[stage] = sums.get(stage, 0.0) + from_there
        else:
            stage = _stage(f"{file}:{name}")
            sums[stage] = sums.get(stage, 0.0) + own
    total = sum(sums.values()) or 1.0
    order = [label for label, _ in STAGES] + ["other"]
    return total, [(label, sums[label] / total) for label in order if sums.get(label, 0.0) / total >= 0.005]


def _stage(where: str) -> str:
    return next((label for label, marks in STAGES if any(m in where for m in marks)), "other")


def table(title: str, args: list[str], cwd: str) -> str:
    total, shares = profile(args, cwd)
    lines = [f"**{title}** (`gitops {' '.join(args)}` under cProfile, {total:.2f} s with its overhead):", "",
             "| stage | share of the time |", "|---|---:|"]
    lines += [f"| {label} | {share:.0%} |" for label, share in shares]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table("profile", sys.argv[1:], os.getcwd()))
