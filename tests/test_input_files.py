"""Only regular files are read, with a size limit: a FIFO, /dev/zero or a device is a finding naming
it (never a hang, never memory filling up), and a document far over the API server's limit is a
finding without being parsed whole."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitops.manifests.reader import MAX_DOCUMENT_BYTES, read_file
from tests.conftest import run_gitops

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: b\n"
# A generous bound so a regression shows as a failure, not a hung suite.
SAFETY = 300


def _hostile_folder(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "good.yaml").write_text(CONFIG_MAP.format(name="good"))
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "null.yaml").symlink_to("/dev/null")


def test_validate_names_a_fifo_and_devices_and_checks_the_rest(tmp_path):
    _hostile_folder(tmp_path / "m")
    proc = subprocess.run([sys.executable, "-m", "gitops", "validate", "--output", "json", "m"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=SAFETY)
    assert proc.returncode == 1, proc.stderr
    assert "a FIFO, not a regular file" in proc.stdout
    assert proc.stdout.count("a character device, not a regular file") == 2  # /dev/zero and /dev/null
    for name in ("fifo.yaml", "zero.yaml", "null.yaml"):
        assert f"m/{name}" in proc.stdout
    assert '"valid": 1' in proc.stdout.replace(" ", "").replace('"valid":1', '"valid": 1')


def test_a_fifo_given_by_name_is_a_finding_not_a_missing_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    proc = subprocess.run([sys.executable, "-m", "gitops", "validate", "pipe.yaml"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=SAFETY)
    assert proc.returncode == 1, proc.stderr
    assert "pipe.yaml" in proc.stdout and "a FIFO, not a regular file" in proc.stdout


def test_check_and_synth_survive_a_fifo_and_dev_zero_under_generated(tmp_path):
    from tests.conftest import WEB_SPEC, make_project

    root = make_project(tmp_path / "p", {"web.py": WEB_SPEC})
    assert run_gitops(["synth"], root).returncode == 0
    web = root / "generated/dev/web"
    os.mkfifo(web / "fifo.yaml")
    (web / "deployment-web.yaml").unlink()
    (web / "deployment-web.yaml").symlink_to("/dev/zero")
    check = subprocess.run([sys.executable, "-m", "gitops", "check"], cwd=root, capture_output=True, text=True,
                           timeout=SAFETY)
    assert check.returncode == 1, check.stderr
    assert "generated/dev/web/deployment-web.yaml" in check.stdout + check.stderr
    assert "a symbolic link, not a regular file" in check.stdout + check.stderr
    assert "dev/web/fifo.yaml" in check.stdout + check.stderr
    synth = subprocess.run([sys.executable, "-m", "gitops", "synth"], cwd=root, capture_output=True, text=True,
                           timeout=SAFETY)
    assert synth.returncode == 0, synth.stderr
    assert not os.path.lexists(web / "fifo.yaml") and (web / "deployment-web.yaml").is_file()
    assert run_gitops(["check"], root).returncode == 0


def test_a_document_over_the_limit_is_a_finding_and_its_neighbours_are_read(tmp_path):
    big = "x" * (MAX_DOCUMENT_BYTES + 1024)
    path = tmp_path / "mixed.yaml"
    path.write_text(CONFIG_MAP.format(name="before") + "---\n" + CONFIG_MAP.format(name="huge").replace(
        "a: b", f"a: {big}") + "---\n" + CONFIG_MAP.format(name="after"))
    resources, findings = read_file(str(path))
    assert [r.obj["metadata"]["name"] for r in resources] == ["before", "after"]
    assert [r.origin.doc_index for r in resources] == [0, 2]
    assert resources[1].origin.line == 15
    assert len(findings) == 1 and "far larger than the API server accepts" in findings[0].message
    assert findings[0].origin.doc_index == 1 and findings[0].origin.line == 7


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="address-space limit and ru_maxrss are Linux's")
def test_a_300_mib_document_under_a_4_gib_address_space_is_a_finding_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "w") as fh:
        fh.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  a: ")
        chunk = "x" * (1 << 20)
        for _ in range(300):
            fh.write(chunk)
        fh.write("\n")
    # A fresh parent whose only child is gitops: its children's peak memory is gitops' own.
    probe = ("import resource, subprocess, sys\n"
             "def limit():\n"
             "    resource.setrlimit(resource.RLIMIT_AS, (4294967296, 4294967296))\n"
             "proc = subprocess.run([sys.executable, '-m', 'gitops', 'validate', sys.argv[1]], preexec_fn=limit,\n"
             "                      capture_output=True, text=True)\n"
             "print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
             "print(proc.stdout + proc.stderr)\n")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=SAFETY)
    first, _, report = out.stdout.partition("\n")
    code, peak_kib = (int(x) for x in first.split())
    path.unlink()
    assert code == 1, report + out.stderr
    assert "far larger than the API server accepts" in report
    assert peak_kib < 300 * 1024, f"peak {peak_kib} KiB: the 300 MiB document was held in memory"
