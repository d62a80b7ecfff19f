"""The import graph of gitops/: no cycles, and the light commands do not load the synthesis machinery.

Every import counts, also the ones inside functions (a deferred import still makes two modules depend
on each other); only `if TYPE_CHECKING:` blocks are left out, as they never run.
"""
from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import gitops

PACKAGE = Path(gitops.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _imports(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if _is_type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def import_graph() -> dict[str, set[str]]:
    """module -> the gitops modules it imports (the deepest module each import statement names)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_gitops():
    graph = import_graph()
    assert "gitops.config" in graph and graph["gitops.cli"], "the graph was not built"
    assert cycles(graph) == []


def test_the_graph_sees_every_command_module():
    """commands.COMMANDS imports each command by name (no importlib), so the graph has the edges."""
    commands = {name for name in import_graph() if name.startswith("gitops.commands.")} - {"gitops.commands.common"}
    assert commands and commands <= import_graph()["gitops.commands"]


def test_the_public_spec_api_agrees_in_its_three_places():
    """gitops/__init__.py names each public spec class in the lazy table, in the TYPE_CHECKING imports
    (for type checkers and readers) and in __all__: a new kind added to one and not the others fails
    here, and each name must come from the module the table says."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    typed = {alias.name: f"gitops.{node.module}"
             for block in ast.walk(tree) if _is_type_checking(block)
             for node in block.body if isinstance(node, ast.ImportFrom) and node.level == 1
             for alias in node.names}
    assert typed and typed == gitops._SPEC_API
    assert set(gitops.__all__) - {"__version__"} == set(gitops._SPEC_API)
    for name, module in gitops._SPEC_API.items():
        assert getattr(gitops, name) is getattr(importlib.import_module(module), name), name


def test_validate_and_policy_do_not_load_synthesis_or_the_spec_model(tmp_path):
    """`gitops validate` and `gitops policy` read manifests only: their start-up must not pay for
    cdk8s, the synthesis engine or the spec model (see docs/architecture.md, wiring)."""
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", encoding="utf-8")
    probe = ("import sys, runpy\n"
             "sys.argv = ['gitops'] + sys.argv[1:]\n"
             "try:\n    runpy.run_module('gitops', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "heavy = sorted(m for m in sys.modules if m.startswith(('cdk8s', 'jsii', 'gitops.synth.engine',\n"
             "               'gitops.spec.workload', 'gitops.spec.kinds', 'gitops.synth.pipeline', 'gitops.delivery.layout')))\n"
             "print('LOADED', heavy, file=sys.stderr)\n")
    for command in ("validate", "policy"):
        done = subprocess.run([sys.executable, "-c", probe, command, str(manifest)], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert "LOADED []" in done.stderr, (command, done.stderr[-2000:])
