"""Validation speed: gitops validate vs kubernetes-validate (and kubeconform when on PATH).

Generates corpora of 1k, 10k and 50k real-looking resources (5% with a mistake) under
benchmarks/out/, runs each tool several times on the same files, and writes the median wall time,
resources per second, CPU time and peak memory (summed over the tool's processes) into the
"Validation" section of docs/benchmarks.md.

    python benchmarks/validate.py [--sizes 1000,10000,50000] [--runs 5] [--no-write]
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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from procmem import memory_kb  # noqa: E402
from corpus import DOCS_PER_FILE, make_corpus, make_single_file  # noqa: E402

OUT = os.path.join(HERE, "out")
DOC = os.path.join(REPO, "docs", "benchmarks.md")
VERSION = "1.33"
# kubeconform's figures on these machines (2 cores, -n 2, self-contained per-kind schemas), from DESIGN.md.
KUBECONFORM_PUBLISHED = {1000: (0.25 * 1000 / 840, 65), 10000: (1.50, 65), 50000: (7.45, 65)}
KV_SUBSET = 200  # kubernetes-validate runs at ~80 resources/s: measured on this many, then extrapolated


def measure(cmd: list[str], env: dict | None = None, sample: bool = False) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak memory KB or 0, exit code) of one run. Memory is sampled
    only when asked: sampling costs CPU that the tool would otherwise get on 2 cores."""
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
    peak = 0
    if sample:
        while proc.poll() is None:
            peak = max(peak, memory_kb(proc.pid))
            time.sleep(0.05)
    proc.wait()
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, peak, proc.returncode


def run_many(cmd: list[str], runs: int, env: dict | None = None) -> dict:
    """Median (and best) of `runs` timed runs, plus one more run that samples memory."""
    results = [measure(cmd, env) for _ in range(runs)]
    memory = measure(cmd, env, sample=True)
    return {"wall": statistics.median(r[0] for r in results), "best": min(r[0] for r in results),
            "cpu": statistics.median(r[1] for r in results), "mem": memory[2] / 1024,
            "codes": sorted({r[3] for r in results} | {memory[3]})}


def files_for(folder: str, resources: int) -> list[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        out += [os.path.join(root, f) for f in sorted(files) if f.endswith(".yaml")]
    return out[:max(1, resources // DOCS_PER_FILE)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print the table, do not touch docs/")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    env = {**os.environ, "PYTHONPATH": REPO + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # As installed for a user: compiled bytecode is written once and reused (some shells disable it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    python = sys.executable
    kubeconform = shutil.which("kubeconform")
    rows = []
    for size in sizes:
        folder = make_corpus(OUT, size)
        runs = args.runs if size <= 10000 else max(3, args.runs // 2)
        ours = run_many([python, "-m", "gitops", "validate", folder, "-k", VERSION, "-o", "json=/dev/null"],
                        runs, env)
        assert ours["codes"] == [1], f"gitops validate should find the planted mistakes: {ours['codes']}"
        subset = files_for(folder, min(size, KV_SUBSET))
        kv_cli = os.path.join(os.path.dirname(python), "kubernetes-validate")
        peer = run_many([kv_cli, "--strict", "--quiet", "-k", f"{VERSION}.0", *subset], 1, env)
        peer_rate = min(size, KV_SUBSET) / peer["wall"]
        row = {"size": size, "ours": ours, "kv_rate": peer_rate, "kv_mem": peer["mem"], "runs": runs,
               "load": os.getloadavg()[0]}
        if kubeconform:
            row["kubeconform"] = run_many([kubeconform, "-summary", "-n", "2", "-strict", "-kubernetes-version",
                                           f"{VERSION}.0", folder], runs)
        rows.append(row)
        print(f"{size:>6} resources: gitops {ours['wall']:.2f}s ({size / ours['wall']:,.0f}/s, cpu {ours['cpu']:.2f}s, "
              f"{ours['mem']:.0f} MB); kubernetes-validate {peer_rate:,.0f}/s on {min(size, KV_SUBSET)}", flush=True)
    if sizes:
        size = sizes[-1]
        one = run_many([python, "-m", "gitops", "validate", make_single_file(OUT, size), "-k", VERSION,
                        "-o", "json=/dev/null"], max(3, args.runs // 2), env)
        rows.append({"size": size, "ours": one, "kv_rate": rows[-1]["kv_rate"], "kv_mem": 0, "runs": 3,
                     "load": os.getloadavg()[0], "label": f"{size:,} in one file"})
        print(f"{size:>6} resources in one file: gitops {one['wall']:.2f}s, {one['mem']:.0f} MB", flush=True)
    table = render(rows, kubeconform, " ".join(["python", "benchmarks/validate.py"] + sys.argv[1:]))
    size = 10000 if 10000 in sizes else sizes[-1]
    sys.path.insert(0, REPO)
    table += "\n" + render_breakdown(size, breakdown(make_corpus(OUT, size), env))
    print(table)
    if not args.no_write:
        write_section(table)
    return 0


def breakdown(folder: str, env: dict) -> dict[str, float]:
    """CPU seconds per stage for one corpus, in one process (where the remaining time goes)."""
    from gitops.manifests.reader import iter_manifest_files, read_file
    from gitops.schema.validator import Options, Validator

    start = run_many([sys.executable, "-c", "import gitops.cli"], 3, env)["cpu"]
    files = list(iter_manifest_files([folder]))
    clock = time.process_time
    t0 = clock()
    validator = Validator(Options(VERSION))
    validator.store.registry()
    for kind in (("apps/v1", "Deployment"), ("v1", "Service"), ("v1", "ConfigMap"),
                 ("autoscaling/v2", "HorizontalPodAutoscaler"), ("networking.k8s.io/v1", "Ingress")):
        validator.store.lookup(*kind)
    schemas = clock() - t0
    t0 = clock()
    texts = []
    for path in files:
        with open(path, "rb") as fh:
            texts.append(fh.read())
    disk = clock() - t0
    t0 = clock()
    read = [read_file(path) for path in files]
    parse = clock() - t0 - disk
    resources = [r for rs, _ in read for r in rs]
    t0 = clock()
    statuses = [validator.store.lookup(r.api_version, r.kind).validator.is_valid(r.obj) for r in resources]
    evaluate = clock() - t0
    from gitops.apiserver import check as api_server_check
    extra, validator.extra_checks = validator.extra_checks, ()  # bookkeeping alone; API-server checks below
    t0 = clock()
    for res, ok in zip(resources, statuses):
        if ok:
            validator.validate(res)
    valid_pass = clock() - t0 - evaluate * sum(statuses) / len(statuses)
    validator.extra_checks = extra
    t0 = clock()
    for res, ok in zip(resources, statuses):
        if ok:
            api_server_check(res, VERSION)
    api_server = clock() - t0
    t0 = clock()
    for res, ok in zip(resources, statuses):
        if not ok:
            validator.validate(res)
    invalid = clock() - t0
    return {"start-up (interpreter and imports)": start, "loading schemas (definitions, 5 kinds compiled)": schemas,
            "reading files from disk": disk, "parsing YAML (yaml-rs and the YAML 1.1 checks)": parse,
            "schema evaluation (jsonschema-rs)": evaluate,
            "API-server checks (gitops/apiserver, valid resources)": api_server,
            "per-resource bookkeeping (deprecations, Findings, counts)": max(valid_pass, 0.0),
            f"the {len(statuses) - sum(statuses)} invalid resources (messages, line lookup)": invalid}


def render_breakdown(size: int, parts: dict[str, float]) -> str:
    total = sum(parts.values())
    lines = ["### Where the time goes", "",
             f"CPU seconds by stage for the {size:,}-resource corpus in one process "
             f"(`breakdown()` in benchmarks/validate.py; {total:.2f} s in all):", "",
             "| stage | CPU s | share |", "|---|---|---|"]
    lines += [f"| {name} | {sec:.3f} | {100 * sec / total:.0f}% |" for name, sec in parts.items()]
    return "\n".join(lines) + "\n"


def render(rows: list[dict], kubeconform: str | None, command: str) -> str:
    lines = ["## Validation", "",
             f"Command: `{command}` (run by `make bench`). Machine: {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}. Kubernetes {VERSION} strict schemas; "
             f"corpus: files of {DOCS_PER_FILE} documents (Deployment, Service, ConfigMap, HPA, Ingress), "
             "1 in 20 with a mistake. Median (and best) wall time of several runs; memory is the peak "
             "proportional set size summed over all of the tool's processes, sampled every 50 ms in one more "
             "run (a short peak can be missed).", "",
             "| resources | gitops validate (median) | best | resources/s | CPU s | peak MB | load | kubeconform | "
             "ratio | kubernetes-validate | ratio |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        size, ours = row["size"], row["ours"]
        rate = size / ours["wall"]
        if "kubeconform" in row and "label" not in row:
            kc_wall, kc_note = row["kubeconform"]["wall"], "measured"
        else:
            kc_wall, kc_note = KUBECONFORM_PUBLISHED.get(size, (size / 6700, 65))[0], "published"
        kv_time = size / row["kv_rate"]
        lines.append(f"| {row.get('label', f'{size:,}')} | {ours['wall']:.2f} s | {ours['best']:.2f} s | {rate:,.0f} | {ours['cpu']:.2f} | "
                     f"{ours['mem']:.0f} | {row['load']:.1f} | "
                     f"{kc_wall:.2f} s ({kc_note}) | {kc_wall / ours['wall']:.2f}× | "
                     f"{kv_time:,.0f} s (at {row['kv_rate']:,.0f}/s) | {kv_time / ours['wall']:,.0f}× |")
    lines += ["", "Ratios are the peer's time divided by ours (above 1: we are faster). `load` is the machine's "
              "1-minute load average when the size was measured: these machines are shared, and wall times "
              "grow with it while CPU seconds barely move.",
              "kubeconform is " + ("on PATH and was measured on the same files." if kubeconform else
                                  "not installed here (no PyPI or Debian package): its column repeats the "
                                  "figures measured on these machines in DESIGN.md (840 resources in 0.25 s, "
                                  "10k in 1.50 s, 50k in 7.45 s, about 65 MB, `-n 2`)."),
              f"kubernetes-validate is measured on the first {KV_SUBSET} resources of each corpus (it runs at "
              "about 80 resources/s) and its time for the full corpus is extrapolated from that rate.", ""]
    return "\n".join(lines)


def write_section(section: str) -> None:
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    text = open(DOC).read() if os.path.exists(DOC) else "# Benchmarks\n\n"
    analysis = ""
    match = re.search(r"^## Validation\n.*?(?=^## |\Z)", text, flags=re.M | re.S)
    if match:
        kept = re.search(r"^### Notes\n.*", match.group(0), flags=re.M | re.S)
        analysis = kept.group(0) if kept else ""
        text = text[:match.start()] + section + ("\n" + analysis if analysis else "") + text[match.end():]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(DOC, "w") as fh:
        fh.write(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    sys.exit(main())
