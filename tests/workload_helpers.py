"""Synthesizing specs in a test: environments with a chosen cluster profile, files as dicts."""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from gitops.config import Config, Environment
from gitops.synth.pipeline import synthesize, targets_for
from gitops.spec.loader import LoadedApp

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def synth(*apps, envs=("dev",), cluster: str = "generic", sections: dict | None = None, settings: dict | None = None):
    """{path under generated/: object} and the Synthesis, for apps in `envs` on one cluster profile
    (`settings`: more per-environment settings, such as a secretStore)."""
    config = Config(root="/nonexistent", sections=sections or {},
                    environments=tuple(Environment(e, production=e == "prod", settings={"cluster": cluster, **(settings or {})})
                                       for e in envs))
    targets = targets_for(config, [LoadedApp(a, "apps/x.py", 7) for a in apps])
    result = synthesize(config, use_cache=False, targets=targets)
    return {path: yaml.safe_load(text) for path, text in result.files.items()}, result


def assert_snapshot(name: str, result) -> None:
    """The synthesized files equal tests/snapshots/<name>.yaml; GITOPS_UPDATE_SNAPSHOTS=1 rewrites it."""
    text = "".join(f"### {path}\n{body}" for path, body in sorted(result.files.items()))
    path = SNAPSHOTS / f"{name}.yaml"
    if os.environ.get("GITOPS_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text)
    assert path.exists(), f"no snapshot {path.name}: run with GITOPS_UPDATE_SNAPSHOTS=1 once and review it"
    assert text == path.read_text(), f"{name}: output differs from {path.name} (GITOPS_UPDATE_SNAPSHOTS=1 to accept)"
