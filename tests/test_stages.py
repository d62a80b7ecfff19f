"""The policy stage's contract with gitops.policy (Engine per run, per environment, lines from disk).

gitops.policy.engine is built on its own branch; this pins the calls the stage makes so a change on
either side shows here. The modules are stand-ins that record what they are given.
"""
from __future__ import annotations

import sys
import types
from dataclasses import replace

import gitops.policy
from gitops import config as config_mod
from gitops.findings import Finding, Found
from gitops.check.stages import policy_stage
from tests.test_diff import deployment


def fake_policy(monkeypatch):
    calls = []

    class Engine:
        def __init__(self, policy_config, complete=True):
            calls.append(("init", policy_config))
            self.config = types.SimpleNamespace(rules={})

        def run(self, resources, env, production, base):
            calls.append(("run", env, production, [r.name for r in resources],
                          None if base is None else [r.name for r in base]))
            return [Finding.stamp(Found(r, "bad"), "some-rule", "error") for r in resources]

        def finish(self, stages=("policy",)):
            return [Finding(rule="waiver-unused", severity="warning", message="unused")]

    modules = {
        "gitops.policy.engine": types.SimpleNamespace(Engine=Engine),
        "gitops.policy.config": types.SimpleNamespace(load=lambda config: ("policies of", config.root)),
        "gitops.policy.lines": types.SimpleNamespace(with_lines=lambda fs: [replace(f, line=42) for f in fs]),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
        # once the real package is imported, `from .policy import config` reads its attribute
        monkeypatch.setattr(gitops.policy, name.rsplit(".", 1)[1], module, raising=False)
    return calls


def test_policy_stage_runs_each_environment_with_its_base(monkeypatch):
    calls = fake_policy(monkeypatch)
    config = config_mod.Config(root="/project")
    head = [deployment(name="a", env="dev"), deployment(name="a", env="prod"), deployment(name="b", env="prod")]
    base = [deployment(name="a", env="prod")]
    found = policy_stage(config, head, base)
    assert calls == [("init", ("policies of", "/project")),
                     ("run", "dev", False, ["a"], []),
                     ("run", "prod", True, ["a", "b"], ["a"])]
    assert len(found) == 4 and all(f.line == 42 for f in found)


def test_policy_stage_leaves_lines_alone_for_the_base(monkeypatch):
    calls = fake_policy(monkeypatch)
    found = policy_stage(config_mod.Config(root="/p"), [deployment()], None, on_disk=False)
    assert calls[1] == ("run", "dev", False, ["web"], None)
    assert [f.line for f in found] == [None, None]
