"""Lines of JSON paths read from a document's lines (manifests/blockpaths.py) are the lines that
walking libyaml's composed nodes gives (locate.place_in), for every path of every document here;
documents it does not model are left to the composed nodes, and `locate` still answers for them."""
from __future__ import annotations

import random

import pytest
import yaml

from gitops.manifests.blockpaths import outline, place
from gitops.manifests.locate import locate, place_in
from gitops.manifests.resource import Origin

DOCUMENTS = [
    # indented and compact sequences, block scalars, comments, flow values, quoted keys
    """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # a comment
  labels: {app: web}
  annotations:
    "example.com/quoted": "yes"
    'single''s': x
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
        args: ["--port", "8080", '--x']
        command:
          - /bin/sh
          - -c
          - |
            echo "key: value"
            exit 0
        env:
        -   name: A
            value: >-
              folded
              text

        - name: B
          value: plain text
            continued here
      - - nested
        - - deeper
      -
        name: on-the-next-line
      - name: last
# trailing comment
""",
    # a duplicate key (the last one counts), empty values, numbers as keys and values
    """\
---   # start
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  name: y
data:
  "80": eighty
  empty:
  after: -1
  url: http://example.com:8080/a
  http://host: z
items:
-
- one
""",
    # the whole document indented
    "  apiVersion: v1\n  kind: List\n  items:\n    - a: 1\n      b:\n        - 2\n",
]

NOT_MODELLED = [
    "apiVersion: v1\nkind: A\nmetadata: {name: x}\nspec: &s\n  a: 1\n",  # anchor
    "apiVersion: v1\nkind: A\nspec:\n  a: \"multi\n    line\"\n  b: 1\n",  # quoted over two lines
    "apiVersion: v1\nkind: A\nspec:\n  a: [1,\n    2]\n  b: 1\n",  # flow over two lines
    "apiVersion: v1\nkind: A\nspec:\n  a: x\ty\n",  # a tab
    "apiVersion: v1\nkind: A\nspec:\n  ? a\n  : 1\n",  # an explicit key
    "apiVersion: v1\nkind: A\nspec:\n  a key with spaces: 1\n",  # a key it does not read
    "apiVersion: v1\nkind: A\nspec: !!map\n  a: 1\n",  # a tag
]


def _composed(text: str) -> yaml.Node:
    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _paths(node: yaml.Node, prefix: list) -> list[list]:
    """Every path in the document, plus paths that leave it at each level."""
    out = [prefix + ["missing"], prefix + [3]]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out.append(prefix + [key.value])
            out += _paths(value, prefix + [key.value])
            if key.value.isdigit():
                out.append(prefix + [int(key.value)])
    elif isinstance(node, yaml.SequenceNode):
        out.append(prefix + [len(node.value)])
        for i, value in enumerate(node.value):
            out += _paths(value, prefix + [i])
    else:
        out.append(prefix + ["deeper"])
    return out


def _agree(text: str) -> int:
    """Compare both ways on every path; the number of paths the outline answered."""
    node = _composed(text)
    tree = outline(text, node.start_mark.line)
    assert tree is not None, text
    answered = 0
    for parts in _paths(node, []):
        got = place(tree, parts)
        if got is not None:
            answered += 1
            assert (got[0] + 1, got[1] + 1) == place_in((node, 0), node.start_mark.line + 1, parts), (parts, text)
    return answered


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_outline_places_every_path_where_the_composed_nodes_do(text):
    assert _agree(text) > 10


@pytest.mark.parametrize("text", NOT_MODELLED)
def test_what_it_does_not_model_is_left_to_the_composed_nodes(text, tmp_path):
    assert outline(text, 0) is None
    manifest = tmp_path / "m.yaml"
    manifest.write_text(text, encoding="utf-8")
    node = _composed(text)
    for parts in _paths(node, []):
        assert locate(Origin(file=str(manifest), line=1), parts) == place_in((node, 0), 1, parts)


def test_locate_gives_the_same_place_either_way(tmp_path, monkeypatch):
    """In a file of several documents (marks counted from each document's stretch of the file)."""
    from gitops.manifests import blockpaths, locate as locate_module

    manifest = tmp_path / "m.yaml"
    manifest.write_text("# header\n---\n" + DOCUMENTS[0] + "---\n" + DOCUMENTS[1], encoding="utf-8")
    second = 3 + DOCUMENTS[0].count("\n") + 2  # the line of the second document's first key
    asked = [(3, ["spec", "template", "spec", "containers", 0, "env", 1, "value"]), (3, ["metadata", "x"]),
             (second, ["data", "url"]), (second, ["items", 1]), (second, ["metadata", "name"])]
    from_lines = [locate(Origin(file=str(manifest), line=line), parts) for line, parts in asked]
    assert from_lines[0] == (31, 11) and from_lines[2] == (second + 9, 3)
    monkeypatch.setattr(blockpaths, "outline", lambda text, first_line: None)
    locate_module._outline_between.cache_clear()
    assert [locate(Origin(file=str(manifest), line=line), parts) for line, parts in asked] == from_lines


def _random_document(rnd: random.Random) -> str:
    words = ["a", "b c", "v1", "-1", "8080", "x.y/z", "it's", 'say "hi"', "a: b", "#c", "", "null", "[x]", "{y}",
             "line\nbreak", "long " * 12, "k:v", "ünï"]
    keys = ["name", "app.kubernetes.io/name", "k1", "k2", "80", "a b", "x:y", "it's", 'q"k', "#k", ""]

    def value(depth: int):
        roll = rnd.random()
        if depth > 3 or roll < 0.4:
            return rnd.choice([rnd.choice(words), rnd.randint(-5, 99), None, True])
        if roll < 0.7:
            return {rnd.choice(keys): value(depth + 1) for _ in range(rnd.randint(0, 4))}
        return [value(depth + 1) for _ in range(rnd.randint(0, 4))]

    doc = {"apiVersion": "v1", "kind": "X", **{f"f{i}": value(0) for i in range(rnd.randint(1, 4))}}
    text = yaml.safe_dump(doc, default_flow_style=rnd.choice([False, None]), width=rnd.choice([20, 80, 1000]),
                          indent=rnd.choice([2, 3, 4]), allow_unicode=True, sort_keys=False)
    lines = []
    for line in text.split("\n"):  # comments and blank lines anywhere
        roll = rnd.random()
        if roll < 0.08:
            lines.append(" " * rnd.randint(0, 6) + "# note: x")
        elif roll < 0.12:
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


def test_random_documents_agree_with_the_composed_nodes():
    rnd = random.Random(15)
    modelled = answered = 0
    for _ in range(400):
        text = _random_document(rnd)
        try:
            node = _composed(text)
        except yaml.YAMLError:
            continue  # a comment line inside a block scalar can end it badly: not a document
        if outline(text, node.start_mark.line) is None:
            continue
        modelled += 1
        answered += _agree(text)
    assert modelled > 100 and answered > 2000
