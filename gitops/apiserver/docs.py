"""docs/apiserver-checks.md: the rule table rendered for people, regenerated, never hand-edited.

Only the part between the two markers is generated; the prose around it (measurements, how to
extend the table) is written by hand. `python -m gitops.apiserver.docs` rewrites the file.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import catalog
from .engine import WORKLOADS

DOC_PATH = Path("docs/apiserver-checks.md")
BEGIN = "<!-- BEGIN GENERATED: python -m gitops.apiserver.docs -->"
END = "<!-- END GENERATED -->"


def _kinds(kinds: list[str]) -> str:
    rest = [k for k in kinds if k not in WORKLOADS]
    shown = (["workloads"] if set(WORKLOADS) <= set(kinds) else [k for k in kinds if k in WORKLOADS]) + rest
    return ", ".join(shown)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    lines = [f"{len(catalog())} rules. \"workloads\" means Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, "
             "Job and CronJob (their pod templates). Severity: error.", "",
             "| Rule | Kinds | Checks | The API server says | Versions |",
             "|---|---|---|---|---|"]
    for entry in catalog():
        lines.append(f"| [`{entry['id']}`]({entry['doc']}) | {_kinds(entry['kinds'])} | "
                     f"{_cell(entry['description'])} | `{_cell(entry['api_server'])}` | {entry['versions']} |")
    return "\n".join(lines)


def render(current: str) -> str:
    """`current` with its generated block replaced by the table as it is now."""
    block = f"{BEGIN}\n{table()}\n{END}"
    if BEGIN in current and END in current:
        head, _, rest = current.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return f"{head}{block}{tail}"
    return f"{current.rstrip()}\n\n{block}\n" if current.strip() else f"# API-server checks\n\n{block}\n"


def main(root: str = ".") -> None:
    path = Path(root) / DOC_PATH
    current = path.read_text() if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(current))


if __name__ == "__main__":
    main(*sys.argv[1:])
