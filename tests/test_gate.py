"""`--output FORMAT[=FILE]` for every command: several outputs in one run, refused when ambiguous,
files written only where asked and removed only when this tool wrote them, and a write that fails
(a full disk, a folder as the target) an input error naming the path, the same for every command."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gitops.errors import InputError
from gitops.findings import Finding, Report
from gitops.manifests.resource import Origin
from gitops.report.markdown import MARKER
from gitops.report.write import Sink, parse_outputs, write_parts

from .conftest import run_cli

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "ghcr.io/acme/web:latest", ports: [{containerPort: http}]}
"""


def test_several_outputs_one_on_stdout():
    assert parse_outputs(["text", "markdown=c.md", "text=log.txt"]) == [
        Sink("text", None), Sink("markdown", "c.md"), Sink("text", "log.txt")]
    assert parse_outputs([]) == [Sink("text", None)]


@pytest.mark.parametrize("values,message", [
    (["text", "markdown"], "at most one format can go to standard output"),
    (["markdown="], "missing file name after '='"),
    (["nope=x"], "unknown format 'nope'; expected one of github, json, junit, markdown, sarif, tap, text"),
    (["json=out/r.json", "sarif=out/../out/r.json"], "json=out/r.json and sarif=out/../out/r.json write the same file"),
])
def test_ambiguous_or_unknown_outputs_are_usage_errors(values, message):
    with pytest.raises(InputError, match=message):
        parse_outputs(values)


@pytest.fixture
def manifests(tmp_path: Path) -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "deploy.yaml").write_text(DEPLOY)
    return folder


COMMANDS = [["validate"], ["policy"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_the_same_file_twice_is_an_input_error(tmp_path, manifests, command):
    result = run_cli([*command, str(manifests), "-o", "json=r.json", "-o", "sarif=./r.json"], tmp_path)
    assert result.exit_code == 2 and "write the same file" in result.output
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("target", ["/dev/full", "a-folder"])
def test_an_unwritable_target_is_an_input_error_naming_it(tmp_path, manifests, command, target):
    if target == "/dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    (tmp_path / "a-folder").mkdir()
    result = run_cli([*command, str(manifests), "--output", f"sarif={target}"], tmp_path)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{target}: cannot write the sarif output: ")


def test_check_handles_an_unwritable_target_like_the_others(project):
    assert run_cli(["synth"], project).exit_code == 0
    (project / "a-folder").mkdir()
    for target in ("/dev/full", "a-folder"):
        if not os.path.exists(target) and target == "/dev/full":
            continue
        result = run_cli(["check", "--output", f"sarif={target}"], project)
        assert result.exit_code == 2, result.output
        assert result.output.rstrip().endswith(f"{target}: cannot write the sarif output: "
                                               f"{'No space left on device' if target == '/dev/full' else 'Is a directory'}")


def test_check_markdown_output_removes_only_what_it_wrote(project):
    """`check --output markdown=notes/review.md` once removed notes/review-2025-plan.md (a glob of
    review-[0-9]*.md): a file is removed only when it is a comment part this tool wrote."""
    assert run_cli(["synth"], project).exit_code == 0
    notes = project / "notes"
    notes.mkdir()
    mine = {"review-2025-plan.md": "# plan\n", "review-1st-draft.md": "draft\n", "review-2.md": "my own notes\n"}
    for name, text in mine.items():
        (notes / name).write_text(text)
    (notes / "review-3.md").write_text(f"{MARKER}\nan old part of an earlier comment\n")
    result = run_cli(["check", "--output", "markdown=notes/review.md", "--output", "text"], project)
    assert result.exit_code == 0, result.output
    assert (notes / "review.md").read_text().startswith(MARKER)
    for name, text in mine.items():
        assert (notes / name).read_text() == text, f"{name} was changed or removed"
    assert not (notes / "review-3.md").exists(), "a stale part this tool wrote stays behind"


def test_split_comment_parts_replace_only_earlier_parts(tmp_path):
    out = tmp_path / "c.md"
    (tmp_path / "c-1.md").write_text("notes by hand\n")
    with pytest.raises(InputError):  # a part would overwrite a file this tool did not write: refuse
        write_parts(str(out), [f"{MARKER} part=1\na", f"{MARKER} part=2\nb"], "markdown")
    (tmp_path / "c-1.md").unlink()
    assert write_parts(str(out), [f"{MARKER}\na", f"{MARKER}\nb", f"{MARKER}\nc"], "markdown") == \
        [str(tmp_path / f"c-{i}.md") for i in (1, 2, 3)]
    assert write_parts(str(out), [f"{MARKER}\nsmall"], "markdown") == [str(out)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.md"]


def test_stdout_and_files_get_the_same_report(tmp_path, manifests):
    result = run_cli(["policy", str(manifests), "-o", "json=r.json", "-o", "json"], tmp_path)
    assert result.exit_code == 1
    assert json.loads(result.output) == json.loads((tmp_path / "r.json").read_text())


def _report() -> Report:
    return Report([Finding(rule="image-tag", severity="error", message="m", origin=Origin(file="x.yaml", line=1))])


def test_exit_code_is_decided_by_the_report():
    assert _report().exit_code() == 1 and _report().exit_code("never") == 0
    assert Report(drifted=2).exit_code("never") == 1
    judged = _report()
    judged.judged = []
    assert judged.exit_code() == 0
