"""The CI files: linted with real linters, least privilege, pinned actions, and the sticky comment logic."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTION = REPO / "action.yml"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if not found:
            pytest.fail(f"{name} is not installed: `pip install -e '.[test]'` installs it")
        return found
    return str(path)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["main.yml", "pull-request.yml"]


def test_zizmor_finds_nothing_even_pedantic():
    proc = subprocess.run([tool("zizmor"), "--offline", "--persona=pedantic", *map(str, WORKFLOWS), str(ACTION)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout


@pytest.mark.parametrize("schema,files", [("vendor.github-workflows", WORKFLOWS), ("vendor.github-actions", [ACTION])])
def test_files_match_githubs_schemas(schema, files):
    proc = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_linters_do_fail_on_a_bad_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request_target\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n")
    assert subprocess.run([tool("zizmor"), "--offline", str(bad)], capture_output=True).returncode != 0
    bad.write_text("on: push\njobs:\n  x:\n    steps: []\n")
    assert subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(bad)],
                          capture_output=True).returncode != 0


def test_pull_request_workflow_is_least_privilege():
    wf = load(REPO / ".github/workflows/pull-request.yml")
    assert list(wf["on"]) == ["pull_request"]
    assert wf["permissions"] == {}
    jobs = wf["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read"}
    for name, job in jobs.items():
        uses = [s.get("uses", "") for s in job["steps"]]
        writes = any(v == "write" for v in job["permissions"].values())
        if writes:  # never the PR's code where the token can write
            assert not any(u.startswith("actions/checkout") for u in uses), name
            assert not any(re.search(r"gitops check|make|pip", s.get("run", "")) for s in job["steps"]), name
            assert job["needs"] == "check"
    run = "\n".join(s.get("run", "") for s in jobs["check"]["steps"])
    assert 'gitops check --base "origin/${BASE_REF}"' in run and "make install" in run
    assert "--output sarif=gitops-report/gitops.sarif" in run and "--output markdown=gitops-report/comment.md" in run
    assert jobs["code-scanning"]["permissions"]["security-events"] == "write"
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}


def test_every_action_is_pinned_by_full_sha():
    for path in [*WORKFLOWS, ACTION]:
        refs = re.findall(r"^[ -]*uses:\s*(\S+)", path.read_text(), re.MULTILINE)
        assert refs, path.name
        for ref in refs:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref}"


def test_main_workflow_runs_the_full_gate():
    wf = load(REPO / ".github/workflows/main.yml")
    assert wf["on"] == {"push": {"branches": ["main"]}}
    [job] = wf["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    assert job["steps"][-1]["run"] == ".venv/bin/gitops check"


def test_pre_commit_hook_checks_changed_specs():
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "gitops check --base HEAD" and hook["language"] == "python"
    assert re.search(hook["files"], "apps/web.py") and not re.search(hook["files"], "docs/index.md")


# --- the sticky comment script, run with the Node that ships with the package --------------------

HARNESS = """
const fs = require("fs");
const state = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let next = 1000;
const calls = [];
const github = {
  paginate: async () => state.comments,
  rest: { issues: {
    listComments: "list",
    createComment: async (a) => { calls.push(["create", a.body]); state.comments.push({ id: next++, body: a.body, user: { login: "github-actions[bot]" } }); },
    updateComment: async (a) => { calls.push(["update", a.comment_id, a.body]); },
    deleteComment: async (a) => { calls.push(["delete", a.comment_id]); },
  } },
};
const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 7 } } };
const core = { warning: (m) => calls.push(["warning", m]) };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction("require", "github", "context", "core", fs.readFileSync(process.argv[3], "utf8"))(
  require, github, context, core).then(() => console.log(JSON.stringify(calls)));
"""


def run_comment_script(tmp_path: Path, comments: list[dict], files: dict[str, str]) -> list:
    wf = load(REPO / ".github/workflows/pull-request.yml")
    script = wf["jobs"]["comment"]["steps"][-1]["with"]["script"]
    report = tmp_path / "gitops-report"
    report.mkdir(exist_ok=True)
    for name in list(report.iterdir()):
        name.unlink()
    for name, text in files.items():
        (report / name).write_text(text)
    (tmp_path / "harness.js").write_text(HARNESS)
    (tmp_path / "script.js").write_text(script)
    (tmp_path / "state.json").write_text(json.dumps({"comments": comments}))
    from gitops.synth.bridge import node_binary
    proc = subprocess.run([node_binary(), "harness.js", "state.json", "script.js"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def bot(id_, body):
    return {"id": id_, "body": body, "user": {"login": "github-actions[bot]"}}


def test_sticky_comment_is_created_then_updated_in_place(tmp_path):
    body = "<!-- gitops:pull-request-comment -->\n## gitops check ✅ passed\n"
    assert run_comment_script(tmp_path, [], {"comment.md": body}) == [["create", body]]
    someone = {"id": 5, "body": "<!-- gitops:pull-request-comment --> quoted by a human", "user": {"login": "alice"}}
    calls = run_comment_script(tmp_path, [someone, bot(9, body)], {"comment.md": body + "again"})
    assert calls == [["update", 9, body + "again"]]  # a human's comment is never touched


def test_split_comment_updates_parts_and_removes_leftovers(tmp_path):
    marker = "<!-- gitops:pull-request-comment part={} -->\n"
    old = [bot(11, marker.format(1)), bot(12, marker.format(2)), bot(13, marker.format(3))]
    parts = {f"comment-{i}.md": marker.format(i) + f"part {i}" for i in (1, 2)}
    calls = run_comment_script(tmp_path, old, parts)
    assert calls == [["update", 11, marker.format(1) + "part 1"], ["update", 12, marker.format(2) + "part 2"],
                     ["delete", 13]]
    ten = {f"comment-{i}.md": marker.format(i) for i in range(1, 11)}
    assert [c[1] for c in run_comment_script(tmp_path, [], ten)] == [marker.format(i) for i in range(1, 11)]


def test_the_sharded_workflow_example_in_the_docs_passes_the_linters(tmp_path):
    text = (REPO / "docs" / "scale-out.md").read_text()
    [example] = re.findall(r"```yaml\n(# Pull requests on a large monorepo.*?)```", text, flags=re.S)
    workflow = tmp_path / "gitops-sharded.yml"
    workflow.write_text(example)
    data = load(workflow)
    assert data["jobs"]["check"]["strategy"]["matrix"]["shard"] == list(range(1, 9))
    assert "gitops merge" in data["jobs"]["report"]["steps"][-1]["run"]
    for cmd in ([tool("zizmor"), "--offline", "--persona=pedantic", str(workflow)],
                [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
