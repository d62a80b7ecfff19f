"""`--shard K/N` and `gitops merge`: N shards' merged report is the report of one unsharded run."""
from __future__ import annotations

import json

import pytest

from gitops.check.shard import Shard, parse

from .conftest import WEB_SPEC, make_project, run_cli
from .test_validate_cli import BAD_PORT, GOOD, tree


def test_shard_assignment_is_stable_and_covers_every_path_once():
    paths = [f"apps/team-{i % 7}/app{i}.py" for i in range(300)]
    owners = [[k for k in range(1, 5) if Shard(k, 4).owns(p)] for p in paths]
    assert all(len(o) == 1 for o in owners)
    assert {o[0] for o in owners} == {1, 2, 3, 4}, "300 paths should reach every one of 4 shards"
    assert Shard(2, 4).owns("apps/x.py") == Shard(2, 4).owns("./apps//x.py")
    assert parse(" 3/8 ") == Shard(3, 8)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(ValueError, match="expected K/N"):
            parse(bad)


def test_merged_validate_shards_equal_the_unsharded_report(tmp_path):
    files = {f"m/d{i % 4}/{i:03}.yaml": (BAD_PORT if i % 5 == 0 else GOOD).replace("name: ", f"name: n{i}")
             for i in range(40)}
    files["m/broken.yaml"] = "kind: [\n"
    files["m/dup.yaml"] = GOOD + "data: {b: '2'}\n"
    root = tree(tmp_path, files)
    whole = run_cli(["validate", "m", "-o", "json=all.json", "-o", "sarif=all.sarif"], root)
    assert whole.exit_code == 1
    for k in (1, 2, 3):
        shard = run_cli(["validate", "m", "--shard", f"{k}/3", "-o", f"json={k}.json", "-o", f"sarif={k}.sarif"], root)
        assert shard.exit_code in (0, 1)
    parts = [json.loads((root / f"{k}.json").read_text()) for k in (1, 2, 3)]
    assert all(p["summary"]["files"] > 0 for p in parts), "each shard should get some of the 42 files"
    merged = run_cli(["merge", "1.json", "2.json", "3.json", "-o", "json=merged.json", "-o", "text=merged.txt"], root)
    assert merged.exit_code == 1
    assert (root / "merged.json").read_text() == (root / "all.json").read_text()
    assert "Summary: 42 resources found in 42 files" in (root / "merged.txt").read_text()
    sarif = run_cli(["merge", "3.sarif", "1.sarif", "2.sarif", "-o", "sarif=merged.sarif"], root)
    assert sarif.exit_code == 1
    assert (root / "merged.sarif").read_text() == (root / "all.sarif").read_text()


def test_merged_check_shards_equal_the_unsharded_report(tmp_path):
    specs = {f"team{i % 2}/web{i}.py": WEB_SPEC.replace('name="web"', f'name="web{i}"')
             .replace("web:1.0.0", "web:latest" if i % 3 == 0 else f"web:1.0.{i}") for i in range(6)}
    root = make_project(tmp_path / "proj", specs)
    assert run_cli(["synth"], root).exit_code == 0
    whole = run_cli(["check", "--output", "json=all.json"], root)
    data = json.loads((root / "all.json").read_text())
    assert data["findings"], "the latest tags should give findings"
    codes = [run_cli(["check", "--shard", f"{k}/3", "--output", f"json={k}.json"], root).exit_code for k in (1, 2, 3)]
    merged = run_cli(["merge", "1.json", "2.json", "3.json", "-o", "json=merged.json"], root)
    assert merged.exit_code == max(codes) == whole.exit_code
    result = json.loads((root / "merged.json").read_text())
    assert result["findings"] == data["findings"]
    assert result["summary"]["resources"] == data["summary"]["resources"]
    # The delivery folders are made from every app: a shard does not compare them (docs/scale-out.md).
    assert {k: v for k, v in result["summary"].items() if k != "files"} == \
        {k: v for k, v in data["summary"].items() if k != "files"}


def test_merge_refuses_what_it_cannot_join(tmp_path):
    root = tree(tmp_path, {"m/a.yaml": GOOD})
    assert run_cli(["validate", "m", "-o", "json=v.json", "-o", "sarif=v.sarif"], root).exit_code == 0
    (root / "junk.json").write_text("{\"hello\": 1}")
    bad = run_cli(["merge", "v.json", "junk.json"], root)
    assert bad.exit_code == 2 and "junk.json" in bad.output and "not a gitops JSON report" in bad.output
    mixed = run_cli(["merge", "v.json", "v.sarif"], root)
    assert mixed.exit_code == 2 and "not both" in mixed.output
    assert run_cli(["merge", "v.sarif", "-o", "text"], root).exit_code == 2
    assert run_cli(["merge", "missing.json"], root).exit_code == 2
