"""The README's tour works when pasted: its spec synthesizes, its mistake gives its error line."""
from __future__ import annotations

import re
import shutil

from tests.conftest import REPO, run_cli


def _tour_spec() -> str:
    readme = (REPO / "README.md").read_text()
    assert readme.startswith("# gitops\n\n```sh\nmake run"), "the README starts with the two commands"
    block = re.search(r"Create `apps/hello.py`:\n\n   ```python\n(.*?)   ```", readme, re.S)
    assert block, "the tour has the hello.py spec"
    return "\n".join(line[3:] if line.startswith("   ") else line for line in block.group(1).splitlines())


def test_readme_tour(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "gitops.yaml", root / "gitops.yaml")
    (root / "apps").mkdir()
    spec = root / "apps/hello.py"
    spec.write_text(_tour_spec())
    assert run_cli(["synth"], root).exit_code == 0
    prod = root / "generated/prod/hello"
    assert (prod / "poddisruptionbudget-hello.yaml").exists()
    assert "topologySpreadConstraints" in (prod / "deployment-hello.yaml").read_text()
    before = sorted(p.name for p in prod.iterdir())

    spec.write_text(spec.read_text().replace('    ports=', '    replicas=-1,\n    ports='))
    result = run_cli(["synth"], root)
    readme = (REPO / "README.md").read_text()
    assert result.exit_code == 2
    assert result.output.strip() in readme, result.output
    assert sorted(p.name for p in prod.iterdir()) == before

    spec.write_text(_tour_spec())
    edited = prod / "service-hello.yaml"
    edited.write_text(edited.read_text() + "# hand edit\n")
    assert run_cli(["check"], root).exit_code == 1
    assert run_cli(["synth"], root).exit_code == 0
    assert run_cli(["check"], root).exit_code == 0
