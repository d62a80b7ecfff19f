"""docs/workloads.md is generated from the examples: it fails here when it is stale."""
from __future__ import annotations

from gitops.docs import workloads
from tests.conftest import REPO


def test_docs_workloads_is_up_to_date():
    expected = workloads.render()
    current = (REPO / workloads.DOC).read_text()
    assert current == expected, "docs/workloads.md is stale: run `python -m gitops.docs.workloads` (make docs)"


def test_docs_show_every_kind_with_its_spec_and_yaml():
    text = (REPO / workloads.DOC).read_text()
    for kind in workloads.KINDS:
        section = text.split(f"\n## {kind.KIND}\n", 1)[1].split("\n## ", 1)[0]
        assert "```python\n" in section and "```yaml\n" in section, kind.KIND
    assert "kind: StatefulSet" in text and "kind: CronJob" in text and "kind: TrainJob" in text
    assert "completionMode: Indexed" in text and "| gke |" in text
