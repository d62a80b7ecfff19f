"""Benchmark corpora at scale from real-world manifests (or, when none is given, generated ones).

`documents(folder)` takes every Kubernetes object out of a folder of public manifests (as written
by their authors: comments, quoting and key order kept), leaving out templates (Helm `{{ }}`),
CustomResourceDefinitions (schemas of their own, not workloads), kustomize's Kustomization files
and anything that does not parse as one object with apiVersion and kind. `scaled(...)` concatenates those documents, round-robin, to a
given number of resources spread over a given number of files.

    python benchmarks/realworld.py CORPUS_DIR     # prints what it would use, by kind
"""
from __future__ import annotations

import os
import re
import sys
from collections import Counter
from dataclasses import dataclass

import yaml

SEPARATOR = re.compile(r"^---[ \t]*(?:#.*)?$", re.M)
SKIPPED_KINDS = {"CustomResourceDefinition", "List"}
SKIPPED_GROUPS = ("kustomize.config.k8s.io/",)  # kustomize's build instructions, not objects
CORPUS_DIRS = ("/work/corpus",)  # the evaluation corpus on these machines, when no folder is given


@dataclass(frozen=True)
class Corpus:
    """Documents to scale, and where they came from (for docs/benchmarks.md)."""

    docs: list[str]
    kinds: Counter
    source: str  # the folder, or "generated"
    files: int  # files they were taken from


def documents(folder: str) -> Corpus:
    docs: list[str] = []
    kinds: Counter = Counter()
    used = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.endswith((".yaml", ".yml")):
                continue
            try:
                with open(os.path.join(root, name), encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError):
                continue
            if "{{" in text or len(text) > 2 << 20:
                continue
            found = 0
            for chunk in SEPARATOR.split(text):
                kind = _kind(chunk)
                if kind:
                    docs.append(chunk.strip("\n") + "\n")
                    kinds[kind] += 1
                    found += 1
            used += 1 if found else 0
    return Corpus(docs, kinds, folder, used)


def _kind(chunk: str) -> str | None:
    try:
        obj = yaml.load(chunk, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("apiVersion"), str):
        return None
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind in SKIPPED_KINDS or kind.endswith("List") \
            or obj["apiVersion"].startswith(SKIPPED_GROUPS):
        return None
    return kind


def generated(resources: int = 500) -> Corpus:
    """The fallback: the generated documents of benchmarks/corpus.py."""
    from corpus import document  # benchmarks/ is on sys.path when run as a script

    docs = [document(i).strip("\n") + "\n" for i in range(resources)]
    kinds = Counter(_kind(d) for d in docs)
    return Corpus(docs, kinds, "generated", 0)


def find(folder: str | None) -> Corpus:
    """The corpus in `folder`, else the machine's evaluation corpus, else a generated one."""
    if folder and not os.path.isdir(folder):
        raise SystemExit(f"{folder}: no such folder (give a folder of manifests, or none for the default)")
    for candidate in ([folder] if folder else list(CORPUS_DIRS)):
        if candidate and os.path.isdir(candidate):
            found = documents(candidate)
            if len(found.docs) >= 50:
                return found
            if folder:
                raise SystemExit(f"{folder}: only {len(found.docs)} usable Kubernetes objects; need 50 or more")
    return generated()


def scaled(corpus: Corpus, out: str, resources: int, files: int) -> str:
    """`resources` documents over `files` files under `out` (reused when already complete)."""
    stamp = os.path.join(out, ".complete")
    if os.path.exists(stamp):
        return out
    os.makedirs(out, exist_ok=True)
    per_file = -(-resources // files)
    written = 0
    for number in range(files):
        count = min(per_file, resources - written)
        if count <= 0:
            break
        sub = os.path.join(out, f"part-{number % 50:02}") if files > 100 else out
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"manifests-{number:04}.yaml"), "w", encoding="utf-8") as fh:
            fh.write("---\n".join(corpus.docs[(written + i) % len(corpus.docs)] for i in range(count)))
        written += count
    open(stamp, "w").close()
    return out


def describe(corpus: Corpus) -> str:
    top = ", ".join(f"{kind} {n}" for kind, n in corpus.kinds.most_common(12))
    return f"{len(corpus.docs)} objects ({top}, …) from {corpus.files} files"


if __name__ == "__main__":
    found = find(sys.argv[1] if len(sys.argv) > 1 else None)
    print(found.source + ": " + describe(found))
