"""Test helper: the manifests under generated/ as they were at a git ref (read with real git).

generated/ is committed and CI keeps it in sync with the specs, so the base manifests are the
files under generated/ at that ref, read with real git (`git ls-tree` and `git cat-file --batch`,
which is `git show REF:path` for many files in one process). Nothing is checked out.
"""
from __future__ import annotations

import subprocess

import yaml

from gitops.errors import InputError
from gitops.manifests.resource import Origin, Resource
from gitops.yamlio import load_fast_all


def _git(root: str, *args: str, data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", root, *args], input=data, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        raise InputError(f"git {' '.join(args[:2])}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def base_resources(root: str, ref: str, generated_dir: str = "generated") -> tuple[Resource, ...]:
    """Every object under `generated_dir` at `ref` in the repository at `root` (empty when absent).

    An unknown ref is an InputError. A file that does not parse is skipped: the base is context
    for comparisons, and its own problems were reported when it was the change under review.
    """
    if ref.startswith("-"):
        raise InputError(f"--base {ref!r}: expected a git ref such as origin/main")
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()  # project inside a larger repo
    folder = f"{prefix}{generated_dir}".rstrip("/")
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", f"{folder}/")
    paths = sorted(p for p in listing.decode().split("\0")
                   if p.endswith((".yaml", ".yml")) and not p.endswith("/kustomization.yaml"))
    if not paths:
        return ()
    batch = _git(root, "cat-file", "--batch", data="".join(f"{commit}:{p}\n" for p in paths).encode())
    out: list[Resource] = []
    pos = 0
    for path in paths:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        text = batch[header_end + 1:header_end + 1 + size].decode("utf-8", errors="replace")
        pos = header_end + 1 + size + 1
        rel = path[len(prefix):]
        try:
            docs = load_fast_all(text)
        except yaml.YAMLError:
            continue
        for index, doc in enumerate(docs):
            if isinstance(doc, dict):
                out.append(Resource(doc, Origin(file=rel, doc_index=index, line=1)))
    return tuple(out)
