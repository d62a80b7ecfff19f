"""`gitops init`: the files of a new gitops repository, from the templates in `files/`.

The templates ship in the wheel (package data), so `gitops init` works from any install. The two
GitHub workflows are shared with this repository: its own `.github/workflows/` are the same
templates rendered with `make install` and `.venv/bin/gitops` (`python -m gitops.scaffold` rewrites
them; tests/test_scaffold.py fails when they differ), so a fix to either reaches both.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources

from .. import __version__
from ..errors import InputError

README_MARKER = "## Deploying with gitops"


@dataclass(frozen=True)
class Install:
    """How a workflow gets the `gitops` command: the install step's lines and the command's path."""

    step: str
    command: str


def pip_install(requirement: str) -> Install:
    """A repository of specs installs the tool with pip; the requirement goes through an env var so
    no expression is expanded inside the shell command."""
    step = ("        env:\n"
            f"          GITOPS_PACKAGE: {json.dumps(requirement)}\n"
            '        run: python -m pip install --disable-pip-version-check "${GITOPS_PACKAGE}"')
    return Install(step, "gitops")


# This repository runs the tool from its own checkout.
MAKE_INSTALL = Install("        run: make install", ".venv/bin/gitops")

# Path in the new repository -> template under files/ (dotfiles are stored without their dot).
FILES: dict[str, str] = {
    "gitops.yaml": "gitops.yaml",
    "apps/hello.py": "app.py",
    "policies/policy.yaml": "policy.yaml",
    "policies/waivers.yaml": "waivers.yaml",
    ".github/workflows/pull-request.yml": "pull-request.yml",
    ".github/workflows/main.yml": "main.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
}
WORKFLOWS = (".github/workflows/pull-request.yml", ".github/workflows/main.yml")


def template(name: str) -> str:
    return resources.files(__package__).joinpath("files", name).read_text(encoding="utf-8")


def render(path: str, install: Install) -> str:
    text = template(FILES[path])
    return text.replace("@INSTALL@", install.step).replace("@GITOPS@", install.command)


def default_requirement() -> str:
    return f"gitops=={__version__}"


def init(folder: str, requirement: str) -> list[str]:
    """Write the new repository's files into `folder` (made if missing); returns what was written.
    Refuses, before writing anything, when one of the files already exists."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise InputError(f"{folder!r} exists and is not a folder")
    taken = [path for path in FILES if os.path.lexists(os.path.join(folder, path))]
    if taken:
        raise InputError(f"{folder}: already has {', '.join(taken)}; `gitops init` only starts a new repository "
                         "and never overwrites (move them away, or init another folder)")
    install = pip_install(requirement)
    written: list[str] = []
    try:
        for path in FILES:
            target = os.path.join(folder, path)
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            with open(target, "x", encoding="utf-8") as fh:
                fh.write(render(path, install))
            written.append(path)
        written += _append(os.path.join(folder, ".gitignore"), template("gitignore"), ".gitops-cache/")
        written += _append(os.path.join(folder, "README.md"), "\n" + template("README-section.md"), README_MARKER,
                           start="# " + os.path.basename(os.path.abspath(folder)) + "\n\n")
    except OSError as exc:
        done = f" (written so far: {', '.join(written)})" if written else ""
        raise InputError(f"cannot write {exc.filename or folder}: {exc.strerror}{done}") from None
    return written


def _append(path: str, text: str, marker: str, start: str = "") -> list[str]:
    """Add `text` to a file that may already exist (a README, a .gitignore), once."""
    current = ""
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as fh:
            current = fh.read()
        if marker in current:
            return []
    with open(path, "a", encoding="utf-8") as fh:
        if not current:
            fh.write(start)
        elif not current.endswith("\n"):
            fh.write("\n")
        fh.write(text.lstrip("\n") if not current else text)
    return [os.path.basename(path)]


def main(argv: list[str]) -> int:
    """Rewrite this repository's workflows from the templates (`make docs`)."""
    from ..config import find_root

    root = find_root()
    for path in WORKFLOWS:
        target = os.path.join(root, path)
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(render(path, MAKE_INSTALL))
        print(f"wrote {path}")
    return 0
