"""Characters YAML readers treat specially: written so that real `kubectl kustomize` accepts the file
and reads the same value back, refused when no escaping survives kustomize, and read by `validate`
with the same verdict as kubectl's reader."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
import yaml_rs

from gitops.manifests.reader import read_file
from gitops.yamlio import dump
from tests.conftest import IN_CI, gitops_here as run_gitops, make_project

KUSTOMIZATION = "resources:\n- cm.yaml\n"
# Escaped, these come through kustomize unchanged.
CARRIED = {"c0": "a\x01b\x1bc\x00", "tab": "a\tb", "newline": "a\nb\r", "ls": "a\u2028b", "ps": "a\u2029b",
           "bom": "a\ufeffb", "nbsp": "a\xa0b", "quote": "a\"b'\\", "astral": "a\U0001f600b", "blank": " a ",
           "private": "a\ue000b"}
# Even escaped, kustomize refuses these ("control characters are not allowed") or changes them.
UNDELIVERABLE = {"del": "a\x7fb", "c1": "a\x80b", "nel": "a\x85b", "c1-last": "a\x9fb", "fffe": "a\ufffeb"}


def _kubectl() -> str:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        if IN_CI:
            pytest.fail("kubectl is missing on CI: the kustomize tests must not be skipped there")
        pytest.skip("kubectl is not installed")
    return kubectl


def _kustomize(folder: Path, text: str) -> subprocess.CompletedProcess:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kustomization.yaml").write_text(KUSTOMIZATION)
    (folder / "cm.yaml").write_bytes(text.encode("utf-8"))
    return subprocess.run([_kubectl(), "kustomize", str(folder)], capture_output=True, timeout=120)


def _config_map(data: dict) -> str:
    return dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": data})


def test_escaped_values_pass_kubectl_kustomize_and_read_back_identically(tmp_path):
    text = _config_map(CARRIED)
    assert text.isascii() or all(ch not in text for ch in "\x85\u2028\u2029\ufeff"), "specials are escaped"
    assert yaml.safe_load(text)["data"] == CARRIED, "a YAML 1.1 reader (libyaml)"
    assert yaml_rs.loads(text)["data"] == CARRIED, "a YAML 1.2 reader"
    proc = _kustomize(tmp_path / "k", text)
    assert proc.returncode == 0, proc.stderr.decode()
    assert yaml.safe_load(proc.stdout)["data"] == CARRIED


@pytest.mark.parametrize("name", sorted(UNDELIVERABLE))
def test_what_kustomize_cannot_carry_is_refused_by_synth_naming_the_spec(tmp_path, name):
    value = UNDELIVERABLE[name]
    escaped = '"' + "".join(f"\\u{ord(c):04x}" if not c.isascii() or c == "\x7f" else c for c in value) + '"'
    proc = _kustomize(tmp_path / "k", f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  v: {escaped}\n")
    changed = proc.returncode == 0 and yaml.safe_load(proc.stdout)["data"]["v"] != value
    assert proc.returncode != 0 or changed, "the premise: kustomize refuses or changes it even escaped"
    spec = f"from gitops import App\nweb = App(name='web', image='w:1', ports=[80], env={{'V': {value!r}}})\n"
    root = make_project(tmp_path / "p", {"web.py": spec})
    synth = run_gitops(["synth"], root)
    assert synth.returncode == 2, synth.stderr
    assert "apps/web.py" in synth.stderr and f"U+{ord(value[1]):04X}" in synth.stderr, synth.stderr
    assert not (root / "generated").exists()


@pytest.mark.parametrize("char", ["\x7f", "\x01", "\x1b", "\x80", "\x9f", "\x85", "\u2028", "\ufeff", "\ufffe", "\t"])
@pytest.mark.parametrize("beside", ["", "  foo: yes\n"], ids=["alone", "beside-yes"])
def test_validate_gives_kubectls_verdict_on_raw_characters(tmp_path, char, beside):
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  v: \"a{char}b\"\n{beside}"
    kubectl_accepts = _kustomize(tmp_path / "k", text).returncode == 0
    _, findings = read_file(str(tmp_path / "k/cm.yaml"))
    syntax = [f for f in findings if f.rule in ("manifest-syntax", "manifest-not-yaml")]
    assert (not syntax) == kubectl_accepts, (repr(char), [f.message for f in findings])
    if syntax:
        assert syntax[0].line == 6 and f"U+{ord(char):04X}" in syntax[0].message
