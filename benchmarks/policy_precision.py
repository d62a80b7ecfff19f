"""Precision of the policy rules on public manifests nobody here wrote.

    python benchmarks/policy_precision.py CORPUS_DIR [--verdicts FILE] [--write]

Runs `gitops policy` (the `recommended` preset, no environment) on each first-level folder of
CORPUS_DIR as one set (one source repository per folder, so cross-object rules see what that
repository ships together), then counts each rule's findings and how many of them a reviewer
judged false. The judgements are `benchmarks/policy_verdicts.yaml`: one entry per false finding
pattern (rule, file glob relative to CORPUS_DIR, optional resource glob and message part) with the
reason. Findings no entry matches were read and judged true. `--write` puts the table into
docs/policies.md between its markers. A missing CORPUS_DIR is skipped with a message (exit 0): the
corpus is fetched for evaluation and never committed.
"""
from __future__ import annotations

import argparse
import collections
import fnmatch
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
GITOPS = str(REPO / ".venv" / "bin" / "gitops")
DOC = REPO / "docs" / "policies.md"
VERDICTS = REPO / "benchmarks" / "policy_verdicts.yaml"
START, END = "<!-- policy-precision:start -->", "<!-- policy-precision:end -->"


def findings(corpus: Path) -> list[dict]:
    """Every finding of `gitops policy` on each source folder, with the file relative to the corpus."""
    out = []
    with tempfile.TemporaryDirectory() as empty:  # no gitops.yaml: the recommended preset, no waivers
        for source in sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith(".")):
            run = subprocess.run([GITOPS, "policy", str(source), "--output", "json", "--fail-on", "never"],
                                 capture_output=True, text=True, cwd=empty)
            if run.returncode != 0:
                raise SystemExit(f"gitops policy {source} exited {run.returncode}: {run.stderr[-400:]}")
            for finding in json.loads(run.stdout)["findings"]:
                finding["file"] = os.path.relpath(finding["file"], corpus)
                finding["source"] = source.name
                out.append(finding)
    return out


def is_false(finding: dict, verdicts: list[dict]) -> dict | None:
    for verdict in verdicts:
        if verdict["rule"] == finding["rule"] and fnmatch.fnmatchcase(finding["file"], verdict["file"]) \
                and fnmatch.fnmatchcase(finding.get("resource") or "", verdict.get("resource", "*")) \
                and verdict.get("message", "") in finding["message"]:
            return verdict
    return None


def table(found: list[dict], verdicts: list[dict]) -> tuple[list[str], int, int]:
    total: collections.Counter = collections.Counter()
    false: collections.Counter = collections.Counter()
    for finding in found:
        total[finding["rule"]] += 1
        if is_false(finding, verdicts):
            false[finding["rule"]] += 1
    lines = ["| Rule | Findings | False | False % |", "|---|---:|---:|---:|"]
    for rule in sorted(total, key=lambda r: (-total[r], r)):
        lines.append(f"| {rule} | {total[rule]} | {false[rule]} | {100 * false[rule] / total[rule]:.1f} |")
    return lines, sum(total.values()), sum(false.values())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--verdicts", type=Path, default=VERDICTS)
    parser.add_argument("--write", action="store_true", help="write the table into docs/policies.md")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no corpus there; skipped (fetch one, see docs/policies.md)")
        return 0
    verdicts = yaml.safe_load(args.verdicts.read_text(encoding="utf-8")) or []
    found = findings(args.corpus)
    lines, total, false = table(found, verdicts)
    files = sum(1 for _, _, names in os.walk(args.corpus) for n in names if n.endswith((".yaml", ".yml", ".json")))
    summary = f"{total} findings on {files} files in {len(set(f['source'] for f in found))} sources; {false} judged false."
    text = "\n".join([summary, "", *lines])
    print(text)
    unused = [v for v in verdicts if not any(is_false(f, [v]) for f in found)]
    for verdict in unused:
        print(f"note: verdict matched nothing: {verdict}", file=sys.stderr)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        head, _, rest = doc.partition(START)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
