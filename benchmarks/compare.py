"""Side by side, in one run, on the same files: `gitops validate` against kubeconform, and
`gitops policy` against checkov, on real-world manifests concatenated to scale.

    python benchmarks/compare.py [CORPUS_DIR] [--runs 5] [--only validate|policy] [--no-write]

CORPUS_DIR is a folder of public manifests (default: /work/corpus when present, else a generated
corpus; the one used is written into the report). Each case runs the two tools alternately,
`--runs` times each, and reports the median wall time, the median CPU time and, from one more run
each, the peak memory (proportional set size summed over the tool's processes, sampled every
10 ms). kubeconform comes from ../shared/tools (with its schemas written offline by the script
there); checkov from $CHECKOV, benchmarks/out/checkov-venv or PATH (`make bench` installs it in
its own virtual environment). A missing peer is reported as skipped, with the reason.
Writes the "Side by side" section of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from procmem import memory_kb  # noqa: E402
import realworld  # noqa: E402
import stages  # noqa: E402
from report import replace_section  # noqa: E402

OUT = os.path.join(HERE, "out")
TOOLS = os.path.join(REPO, "..", "shared", "tools")
VERSION = "1.33"
# (label, resources, files): few large files and many small ones, at 1k, 10k and 50k resources.
VALIDATE_CASES = [
    ("~1k resources, one file", 1000, 1),
    ("~700 small files", 700, 700),
    ("10k resources, 12 files", 10000, 12),
    ("10k resources, 5,000 small files", 10000, 5000),
    ("50k resources, 60 files", 50000, 60),
]
GOALS = "gitops validate at least 1.5x kubeconform at 10k and 50k, no slower at 1k; memory at most kubeconform's + 50%"


@dataclass
class Timing:
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)
    peak_mb: float = 0.0
    output: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def run_once(cmd: list[str], timing: Timing, sample: bool = False, cwd: str = REPO) -> None:
    # Output goes to a file, never a pipe: a pipe nobody reads while memory is sampled fills up
    # and stops the tool.
    with tempfile.TemporaryFile() as out:
        before = os.times()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=_env())
        if sample:
            peak = 0
            while proc.poll() is None:
                peak = max(peak, memory_kb(proc.pid))
                time.sleep(0.01)
            timing.peak_mb = peak / 1024
        else:
            proc.wait()
            wall = time.perf_counter() - started
            after = os.times()
            timing.walls.append(wall)
            timing.cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
        timing.codes.add(proc.returncode)
        out.seek(0)
        timing.output = out.read().decode("utf-8", "replace")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled bytecode written once, then reused
    # checkov's calls home (a newer-version check, the platform's check mapping) are network waits,
    # not checks: turned off so that its time is its checking (these machines have no network).
    env.update(CKV_SKIP_PACKAGE_UPDATE_CHECK="true", BC_SKIP_MAPPING="TRUE")
    return env


def alternate(commands: dict[str, list[str]], runs: int, cwd: str = REPO) -> dict[str, Timing]:
    """Each command `runs` times, interleaved (the order turns each round), then once more sampling memory."""
    timings = {name: Timing() for name in commands}
    names = list(commands)
    for _ in range(runs):
        for name in names:
            run_once(commands[name], timings[name], cwd=cwd)
        names = names[1:] + names[:1]
    for name in commands:
        run_once(commands[name], timings[name], sample=True, cwd=cwd)
    return timings


# --- kubeconform ---------------------------------------------------------------------------------

def kubeconform() -> tuple[str | None, str]:
    """(binary, schema-location template) or (None, why it is skipped)."""
    binary = os.path.join(TOOLS, "kubeconform")
    script = os.path.join(TOOLS, "standalone-schemas.py")
    if not (os.access(binary, os.X_OK) and os.path.isfile(script)):
        return None, f"skipped: {os.path.normpath(binary)} (and its schema script) not found; " \
                     "it is in ../shared/tools on the project's machines, not in a user's clone"
    schemas = os.path.join(OUT, "kubeconform-schemas")
    if not os.path.isdir(os.path.join(schemas, f"v{VERSION}.0-standalone-strict")):
        subprocess.run([sys.executable, script, schemas, f"{VERSION}.0"], check=True, stdout=subprocess.DEVNULL)
    template = schemas + "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/" \
                         "{{ .ResourceKind }}{{ .KindSuffix }}.json"
    return binary, template


def kubeconform_version(binary: str) -> str:
    out = subprocess.run([binary, "-v"], capture_output=True, text=True).stdout.strip()
    return out or "unknown version"


def counts_kubeconform(output: str) -> str:
    found = re.search(r"(\d+) resources? found in (\d+) files? - Valid: (\d+), Invalid: (\d+), Errors: (\d+), "
                      r"Skipped: (\d+)", output)
    return "{} in {} files: {} valid, {} invalid, {} errors, {} skipped".format(*found.groups()) if found else "?"


def counts_gitops(output: str) -> str:
    found = re.search(r"Summary: (\d+) resources? found in (\d+) files? - Valid: (\d+), Invalid: (\d+), "
                      r"Errors: (\d+), Skipped: (\d+)", output)
    return "{} in {} files: {} valid, {} invalid, {} errors, {} skipped".format(*found.groups()) if found else "?"


def validate_cases(corpus: realworld.Corpus, runs: int, cases: list[tuple[str, int, int]]) -> tuple[list[dict], str]:
    binary, template = kubeconform()
    gitops = os.path.join(os.path.dirname(sys.executable), "gitops")
    rows = []
    tag = "generated" if corpus.source == "generated" else f"real-{len(corpus.docs)}"
    for label, resources, files in cases:
        folder = realworld.scaled(corpus, os.path.join(OUT, f"{tag}-{resources}-{files}"), resources, files)
        commands = {"gitops": [gitops, "validate", folder, "-k", VERSION, "--ignore-missing-schemas"]}
        if binary:
            commands["kubeconform"] = [binary, "-kubernetes-version", f"{VERSION}.0", "-strict", "-n", "2",
                                       "-summary", "-ignore-missing-schemas", "-schema-location", template, folder]
        load = os.getloadavg()[0]
        timings = alternate(commands, runs)
        row = {"label": label, "resources": resources, "files": files, "load": load, "timings": timings}
        rows.append(row)
        ours = timings["gitops"]
        line = f"{label}: gitops {ours.wall:.2f}s (cpu {ours.cpu:.2f}s, {ours.peak_mb:.0f} MB)"
        if "kubeconform" in timings:
            peer = timings["kubeconform"]
            line += f"; kubeconform {peer.wall:.2f}s (cpu {peer.cpu:.2f}s, {peer.peak_mb:.0f} MB); " \
                    f"ratio {peer.wall / ours.wall:.2f}x"
        print(line, flush=True)
    note = f"kubeconform {kubeconform_version(binary)} from ../shared/tools" if binary else f"kubeconform {template}"
    return rows, note


def render_validate(rows: list[dict], note: str) -> str:
    lines = ["### gitops validate and kubeconform", "",
             f"Peer: {note}; `-strict -n 2 -ignore-missing-schemas`, standalone schemas of Kubernetes "
             f"{VERSION}.0 written offline by ../shared/tools/standalone-schemas.py. gitops: "
             f"`gitops validate DIR -k {VERSION} --ignore-missing-schemas` (schema and API-server checks, "
             "default jobs: 2). Both skip kinds they have no schema for (custom resources).", "",
             "| case | kubeconform | gitops validate | ratio | CPU s (kc / gitops) | peak MB (kc / gitops) | "
             "memory ratio | load |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        ours, peer = row["timings"]["gitops"], row["timings"].get("kubeconform")
        if peer:
            lines.append(f"| {row['label']} | {peer.wall:.2f} s | {ours.wall:.2f} s | **{peer.wall / ours.wall:.2f}x** | "
                         f"{peer.cpu:.2f} / {ours.cpu:.2f} | {peer.peak_mb:.0f} / {ours.peak_mb:.0f} | "
                         f"{ours.peak_mb / peer.peak_mb:.2f} | {row['load']:.1f} |")
        else:
            lines.append(f"| {row['label']} | skipped | {ours.wall:.2f} s | - | - / {ours.cpu:.2f} | "
                         f"- / {ours.peak_mb:.0f} | - | {row['load']:.1f} |")
    lines += ["", "Ratio: kubeconform's median wall time divided by gitops' (above 1: gitops is faster). "
              "Memory ratio: gitops' peak over kubeconform's. What each tool reported on the same files:", ""]
    for row in rows:
        timings = row["timings"]
        said = f"gitops {counts_gitops(timings['gitops'].output)}"
        if "kubeconform" in timings:
            said += f"; kubeconform {counts_kubeconform(timings['kubeconform'].output)}"
        lines.append(f"- {row['label']}: {said}")
    return "\n".join(lines) + "\n"


# --- checkov -------------------------------------------------------------------------------------

def checkov() -> tuple[str | None, str]:
    for candidate in (os.environ.get("CHECKOV"), os.path.join(OUT, "checkov-venv", "bin", "checkov"),
                      shutil.which("checkov")):
        if candidate and os.access(candidate, os.X_OK):
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True).stdout.strip()
            return candidate, version
    return None, "skipped: checkov not found ($CHECKOV, benchmarks/out/checkov-venv, PATH); `make bench` installs it"


def policy_folder(corpus: realworld.Corpus) -> tuple[str, int]:
    """The real-world objects one per file, as a repository holds them (hundreds of files)."""
    folder = os.path.join(OUT, f"policy-{len(corpus.docs)}")
    if not os.path.exists(os.path.join(folder, ".complete")):
        os.makedirs(folder, exist_ok=True)
        for number, doc in enumerate(corpus.docs):
            with open(os.path.join(folder, f"object-{number:04}.yaml"), "w", encoding="utf-8") as fh:
                fh.write(doc)
        open(os.path.join(folder, ".complete"), "w").close()
    return folder, len(corpus.docs)


def policy_case(corpus: realworld.Corpus, runs: int) -> dict:
    binary, version = checkov()
    folder, objects = policy_folder(corpus)
    gitops = os.path.join(os.path.dirname(sys.executable), "gitops")
    commands = {"gitops": [gitops, "policy", folder, "-k", VERSION]}
    if binary:
        commands["checkov"] = [binary, "-d", folder, "--framework", "kubernetes", "--quiet", "--compact",
                               "--skip-download"]
    load = os.getloadavg()[0]
    timings = alternate(commands, runs, cwd=OUT)
    ours = timings["gitops"]
    line = f"policy on {objects} objects: gitops {ours.wall:.2f}s"
    if binary:
        line += f"; checkov {timings['checkov'].wall:.2f}s; ratio {timings['checkov'].wall / ours.wall:.1f}x"
    print(line, flush=True)
    return {"objects": objects, "timings": timings, "peer": version, "load": load}


def render_policy(case: dict) -> str:
    ours, peer = case["timings"]["gitops"], case["timings"].get("checkov")
    lines = ["### gitops policy and checkov", "",
             f"{case['objects']} real-world objects, one per file. gitops: `gitops policy DIR -k {VERSION}` "
             f"(the default preset). Peer: checkov {case['peer']}, `-d DIR --framework kubernetes --quiet "
             "--compact --skip-download` (its default checks), in its own virtual environment, with "
             "`CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE` (no calls home: network waits are "
             "not checking).", "",
             "| tool | median wall | CPU s | peak MB | per object |", "|---|---:|---:|---:|---:|"]
    n = case["objects"]
    if peer:
        lines.append(f"| checkov | {peer.wall:.2f} s | {peer.cpu:.2f} | {peer.peak_mb:.0f} | {1000 * peer.wall / n:.1f} ms |")
    lines.append(f"| gitops policy | {ours.wall:.2f} s | {ours.cpu:.2f} | {ours.peak_mb:.0f} | {1000 * ours.wall / n:.2f} ms |")
    lines.append("")
    lines.append(f"gitops policy is **{peer.wall / ours.wall:.1f}x** checkov's speed (goal: 20x)." if peer
                 else f"checkov {case['peer']}.")
    return "\n".join(lines) + "\n"


def profiles(corpus: realworld.Corpus, only: str | None) -> str:
    """Where the time goes: each command once under cProfile, on one process (-j 1)."""
    tag = "generated" if corpus.source == "generated" else f"real-{len(corpus.docs)}"
    parts = ["### Where the time goes", "",
             "Each command once under cProfile on one process (`-j 1`), its functions' own time summed by "
             "stage (`benchmarks/stages.py`; a built-in's time counts for its caller). cProfile charges every "
             "Python call a fixed cost, so stages of many small calls look dearer than they are.", ""]
    if only != "policy":
        folder = os.path.join(OUT, f"{tag}-10000-12")
        if os.path.isdir(folder):
            parts.append(stages.table("gitops validate, 10k resources in 12 files",
                                      ["validate", folder, "-k", VERSION, "--ignore-missing-schemas", "-j", "1"], REPO))
    if only != "validate":
        folder, _ = policy_folder(corpus)
        parts.append(stages.table(f"gitops policy, {len(corpus.docs)} objects one per file",
                                  ["policy", folder, "-k", VERSION, "-j", "1"], OUT))
    return "\n".join(parts).replace(REPO + "/", "") + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="folder of real-world manifests (default: /work/corpus)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("validate", "policy"))
    parser.add_argument("--cases", help="comma-separated resource counts of the validate cases to run")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch docs/benchmarks.md")
    parser.add_argument("--no-profiles", action="store_true", help="leave out where the time goes (cProfile runs)")
    args = parser.parse_args()
    corpus = realworld.find(args.corpus)
    sources = os.path.join(corpus.source, "SOURCES.md")
    print(f"corpus: {corpus.source}: {realworld.describe(corpus)}", flush=True)
    load_before = os.getloadavg()
    parts = []
    if args.only != "policy":
        cases = VALIDATE_CASES
        if args.cases:
            wanted = {int(c) for c in args.cases.split(",")}
            cases = [c for c in cases if c[1] in wanted]
        rows, note = validate_cases(corpus, args.runs, cases)
        parts.append(render_validate(rows, note))
    if args.only != "validate":
        parts.append(render_policy(policy_case(corpus, args.runs)))
    if not args.no_profiles:
        parts.append(profiles(corpus, args.only))
    load_after = os.getloadavg()
    command = " ".join(["python", "benchmarks/compare.py"] + sys.argv[1:])
    origin = ("a generated corpus (benchmarks/corpus.py): no real-world folder was given or found"
              if corpus.source == "generated" else
              f"`{corpus.source}` ({'sources in its SOURCES.md' if os.path.isfile(sources) else 'no SOURCES.md'})")
    head = [f"Command: `{command}` (part of `make bench`), {time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}. Load average (1, 5, 15 min) "
            f"{' / '.join(f'{x:.1f}' for x in load_before)} before and {' / '.join(f'{x:.1f}' for x in load_after)} "
            "after: the 2 cores are shared, so only the ratios of runs made in the same round count.", "",
            f"Corpus: {origin}: {realworld.describe(corpus)}. Objects are concatenated round-robin to each size "
            "(templates, CustomResourceDefinitions and Lists left out); generated files are under "
            "benchmarks/out/ and never committed.", "",
            f"Median of {args.runs} runs per tool, the tools alternating; peak memory from one more run each. "
            f"Goals (issue 15): {GOALS}; gitops policy at least 20x checkov.", ""]
    body = "\n".join(head) + "\n" + "\n".join(parts)
    print(body)
    if not args.no_write:
        replace_section("Side by side", body.rstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
