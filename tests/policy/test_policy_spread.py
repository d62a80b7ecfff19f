"""`gitops policy` on two processes (policy/spread.py) reports exactly what one process does: the
same objects in the same order, the same findings with the same lines and columns."""
from __future__ import annotations

import dataclasses

from gitops.manifests.reader import read_paths
from gitops.policy import spread
from gitops.policy.engine import run
from gitops.policy.config import load as load_policies
from gitops.policy.lines import with_lines

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{n}
  namespace: shop
spec:
  selector: {{matchLabels: {{app: web-{n}}}}}
  template:
    metadata:
      labels: {{app: web-{n}}}
    spec:
      containers:
      - name: web
        image: nginx:latest
        env:
        - name: API_TOKEN
          value: hunter2-{n}
"""


def test_two_processes_give_the_findings_of_one(tmp_path, monkeypatch):
    folder = tmp_path / "manifests"
    for n in range(12):
        sub = folder / f"team-{n % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"app-{n}.yaml").write_text("# comment\n---\n" + DEPLOYMENT.format(n=n) + "---\n"
                                           + DEPLOYMENT.format(n=f"{n}b"), encoding="utf-8")
    (folder / "broken.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    from gitops import config as config_mod

    policies = dataclasses.replace(load_policies(config_mod.load(str(tmp_path))), kubernetes_version="1.33")

    alone = read_paths([str(folder)])
    expected = with_lines(run(alone.resources, policies) + alone.findings)

    monkeypatch.setattr(spread, "PARALLEL_MIN_BYTES", 0)
    both, helper = spread.read([str(folder)], jobs=2)
    assert helper is not None and helper.files  # the other process read some of the files
    try:
        found = with_lines(run(both.resources, policies) + both.findings, helper)
    finally:
        helper.close()
    assert [r.origin for r in both.resources] == [r.origin for r in alone.resources]
    assert (both.files, both.templates) == (alone.files, alone.templates)
    assert found == expected
    assert any(f.line and f.line > 3 and f.column for f in found)  # lines found in the helper's files too
