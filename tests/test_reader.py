"""Reading manifests: documents, Lists, lines, and hostile YAML that must never crash the reader."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops.catalog import catalog

from gitops.errors import InputError
from gitops.manifests.reader import MAX_EXPANDED_NODES, locate_line, read_file, read_paths

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


def test_multi_document_file_keeps_index_and_start_line(tmp_path):
    path = write(tmp_path, "a.yaml", "---\n" + DEPLOY + "---\n# only a comment\n---\n"
                 + DEPLOY.replace("web", "api"))
    resources, findings = read_file(str(path))
    assert findings == []
    assert [r.name for r in resources] == ["web", "api"]
    assert [(r.origin.doc_index, r.origin.line) for r in resources] == [(0, 2), (2, 11)]


def test_folders_are_walked_sorted_and_kustomization_and_other_files_skipped(tmp_path):
    write(tmp_path, "b/z.yaml", DEPLOY)
    write(tmp_path, "a/y.yml", DEPLOY.replace("web", "y"))
    write(tmp_path, "a/x.json", '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}')
    write(tmp_path, "a/kustomization.yaml", "resources: [y.yml]\n")
    write(tmp_path, "a/notes.txt", "not a manifest")
    result = read_paths([str(tmp_path)])
    assert result.files == 3
    assert [r.name for r in result.resources] == ["x", "y", "web"]


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        read_paths([str(tmp_path / "nope")])


def test_list_kinds_are_flattened_with_item_lines(tmp_path):
    path = write(tmp_path, "list.yaml", """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: one}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: two}
""")
    resources, findings = read_file(str(path))
    assert findings == []
    assert [(r.name, r.origin.line) for r in resources] == [("one", 4), ("two", 7)]


def test_syntax_error_has_line_and_column_and_later_documents_are_still_read(tmp_path):
    path = write(tmp_path, "broken.yaml", DEPLOY + "---\nkind: [unclosed\n  foo: bar\n---\n"
                 + DEPLOY.replace("web", "after"))
    resources, findings = read_file(str(path))
    assert [r.name for r in resources] == ["web", "after"]
    assert rules(findings) == ["manifest-syntax"]
    assert findings[0].origin.line >= 8 and "column" in findings[0].message
    assert resources[1].origin.line == 11


def test_a_file_that_is_not_yaml_is_reported_once(tmp_path):
    text = write(tmp_path, "prose.yaml", "Hello: this is: not yaml\n\tat all {[\n" * 3)
    binary = write(tmp_path, "blob.yaml", bytes(range(256)) * 4)
    for path in (text, binary):
        resources, findings = read_file(str(path))
        assert resources == [] and rules(findings) == ["manifest-not-yaml"], findings


def test_alias_bomb_is_refused_quickly_and_recursive_alias_too(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = write(tmp_path, "bomb.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n"
                 + "\n".join("  " + ln for ln in lines) + "\n")
    recursive = write(tmp_path, "rec.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: &d\n  self: *d\n")
    for path in (bomb, recursive):
        resources, findings = read_file(str(path))
        assert resources == [] and rules(findings) == ["manifest-alias-limit"]
    assert MAX_EXPANDED_NODES < 9 ** 9


def test_small_aliases_are_fine(tmp_path):
    path = write(tmp_path, "ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                 "data:\n  one: &v hello\n  two: *v\n")
    resources, findings = read_file(str(path))
    assert findings == [] and resources[0].obj["data"] == {"one": "hello", "two": "hello"}


def test_duplicate_keys_are_findings_with_path_and_line(tmp_path):
    path = write(tmp_path, "dup.yaml", DEPLOY + "  replicas: 3\n")
    resources, findings = read_file(str(path))
    assert rules(findings) == ["manifest-duplicate-key"]
    assert findings[0].path == "spec.replicas" and findings[0].line == 7
    assert resources[0].obj["spec"]["replicas"] == 3  # the API server keeps the last one


def test_merge_keys_are_expanded_and_not_duplicates(tmp_path):
    path = write(tmp_path, "merge.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n"
                 "base: &b {x: '1', y: '2'}\ndata:\n  <<: *b\n  y: '3'\n")
    resources, findings = read_file(str(path))
    assert findings == [] and resources[0].obj["data"] == {"x": "1", "y": "3"}


def test_crlf_bom_dates_and_non_string_keys(tmp_path):
    text = "\ufeffapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata:\r\n" \
           "  released: 2024-01-02\r\n  1: one\r\n  true: yes\r\n"
    path = write(tmp_path, "odd.yaml", text.encode("utf-8"))
    resources, findings = read_file(str(path))
    assert resources[0].obj["data"] == {"released": "2024-01-02", "1": "one", "true": True}
    assert rules(findings) == ["manifest-key-not-string"] * 2
    assert {f.line for f in findings} == {7, 8} and all(f.severity == "warning" for f in findings)


def test_documents_that_are_not_objects_or_lack_kind(tmp_path):
    path = write(tmp_path, "odd.yaml", DEPLOY + "---\n- just\n- a list\n---\nmetadata: {name: x}\n...\n")
    resources, findings = read_file(str(path))
    assert [r.name for r in resources] == ["web"]
    assert rules(findings) == ["manifest-not-object", "manifest-missing-kind"]


@pytest.mark.parametrize("text", [
    "[" * 5000 + "]" * 5000,
    "- " * 50_000 + "x\n",  # deep block nesting: a native stack overflow in a fast parser
    "".join(" " * i + "a:\n" for i in range(3000)),
    "a: !!python/object:os.system ls\n",
    "a: !custom tag\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\nc: !!omap [{k: v}]\n",
    "a: .nan\nb: .inf\nc: 1e400\n",
    "? [complex, key]\n: value\n",
    "%YAML 1.1\n---\nkey: value\n...\n",
    "\x00\x01\x02",
    "",
    "'unterminated",
])
def test_hostile_inputs_get_a_verdict_without_crashing(tmp_path, text):
    path = write(tmp_path, "h.yaml", text)
    resources, findings = read_file(str(path))
    assert resources == []  # none of these is a Kubernetes object
    assert bool(findings) == bool(text), "every non-empty file gets a verdict, an empty one none"
    assert all(f.rule in catalog() and f.file == str(path) for f in findings)
    assert not text or any(f.severity == "error" for f in findings), [(f.rule, f.message) for f in findings]


def test_locate_line_follows_a_json_path(tmp_path):
    path = write(tmp_path, "d.yaml", "# comment\n" + DEPLOY + "  template:\n    spec:\n      containers:\n"
                 "      - name: a\n        ports:\n        - containerPort: http\n")
    [res], _ = read_file(str(path))
    assert locate_line(res.origin, ["spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"]) == 13
    assert locate_line(res.origin, ["spec", "nothere"]) == 6


SAME_BOTH_WAYS = [
    DEPLOY,
    "# leading comment\n---\n" + DEPLOY + "---\n---\n# nothing\n---\n" + DEPLOY.replace("web", "b"),
    "--- # marker comment\n" + DEPLOY + "--- {apiVersion: v1, kind: ConfigMap, metadata: {name: inline}}\n",
    DEPLOY + "  paused: yes\n  minReadySeconds: 010\n",
    DEPLOY + "  revisionHistoryLimit: 1e3\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  at: 2024-01-01\n  t: 12:30\n  n: ~\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {8080: x, on: y}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  on: y\n  Off: n\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  mode: 0644\n  list: [0o7, 1_000, .5]\n",
    "- not\n- an object\n",
    "---\n- a\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n",
    "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n  a: 2\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q}\ndata:\n  s: \"quoted: yes\"\n  u: 'x'\n  f: 1.5\n",
    "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\n",
    "~\n---\nnull\n---\n" + DEPLOY,
    # Each is one YAML 1.1/1.2 difference in a file otherwise plain (the fast path's text pre-check).
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: [x, on], b: 'on'}\n",
    "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata:\r\n  a: off\r\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {t: 1:30, u: 2e5}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ~: x\n  true: y\n  -1.5e3: z\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  : empty\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  image: repo/app0:1.2.3\n  n: no # c\n",
]


@pytest.mark.parametrize("text", SAME_BOTH_WAYS)
def test_fast_and_reference_paths_read_the_same(tmp_path, text):
    path = str(write(tmp_path, "same.yaml", text))
    assert read_file(path, fast=True) == read_file(path, fast=False)


def test_fast_path_reads_the_repository_generated_tree_like_the_reference():
    from tests.conftest import REPO
    from gitops.manifests.reader import iter_manifest_files
    from gitops.manifests.fastyaml import parse_plain

    files = list(iter_manifest_files([str(REPO / "generated")]))
    assert files
    for path in files:
        assert read_file(path, fast=True) == read_file(path, fast=False), path
    text = open(files[0], encoding="utf-8").read()
    assert parse_plain(text) is not None  # plain generated files do take the fast path


@pytest.mark.parametrize("text", [
    DEPLOY + "---\n" + DEPLOY.replace("web", "b") * 1 + "---\n---\n" + DEPLOY.replace("web", "c"),
    "\ufeff# c\n%YAML 1.1\n---\n" + DEPLOY + "---\nkind: [\n---\n" + DEPLOY.replace("web", "d"),
    "---\n" + "---\n".join(DEPLOY.replace("web", f"w{i}") for i in range(20)),
])
def test_large_files_read_in_parts_give_the_same_resources_and_findings(tmp_path, text):
    from gitops.manifests.reader import read_part, split_file

    path = str(write(tmp_path, "big.yaml", text.encode("utf-8")))
    parts = split_file(path, 60)
    assert len(parts) > 1 and parts[-1].end == len(text.encode("utf-8"))
    resources, findings = [], []
    for part in parts:
        r, f = read_part(part)
        resources += r
        findings += f
    whole = read_file(path)
    assert [(r.obj, r.origin) for r in resources] == [(r.obj, r.origin) for r in whole[0]]
    assert [(f.rule, f.origin.doc_index, f.line) for f in findings] == \
        [(f.rule, f.origin.doc_index, f.line) for f in whole[1]]


@pytest.mark.parametrize("block", [5, 7, 64, 1 << 22])
def test_marker_scan_matches_a_line_by_line_reading(tmp_path, monkeypatch, block):
    from gitops.manifests import locate as reader

    text = "\ufeff---\na: 1\n---\n\n---x\n--- # c\nb: 2\n----\n---\r\nc: 3\n---"
    path = write(tmp_path, "m.yaml", text.encode("utf-8"))
    monkeypatch.setattr(reader, "_SCAN_BLOCK", block)
    data = path.read_bytes()
    expected, pos = [], 0
    for number, raw in enumerate(data.splitlines(keepends=True)):
        raw_text = raw[3:] if pos == 0 and raw.startswith(b"\xef\xbb\xbf") else raw
        if raw_text.startswith(b"---") and raw_text[3:4] in (b"", b" ", b"\t", b"\r", b"\n"):
            expected.append((pos, number))
        pos += len(raw)
    assert reader.scan_markers(str(path)) == (expected, len(data), False)


def test_one_odd_document_does_not_send_a_whole_file_to_the_reference_path(tmp_path, monkeypatch):
    import gitops.manifests.reader as reader_mod

    plain = [DEPLOY.replace("web", f"plain{i}") for i in range(30)]
    text = "# a comment before the first marker\n---\n" + "---\n".join(plain[:10] + SAME_BOTH_WAYS + plain[10:])
    path = str(write(tmp_path, "mixed.yaml", text))
    reference = read_file(path, fast=False)
    parsed_by_reference = []
    real = reader_mod.documents
    monkeypatch.setattr(reader_mod, "documents", lambda t, *a: parsed_by_reference.append(t) or real(t, *a))
    assert read_file(path) == reference
    assert len(reference[0]) > 40 and not any("name: plain" in piece for piece in parsed_by_reference)
