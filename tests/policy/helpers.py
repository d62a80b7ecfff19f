"""Shared helpers for the policy tests: resources from YAML text, one rule run alone, doc examples."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from gitops.findings import Finding
from gitops.manifests.resource import Origin, Resource
from gitops.policy.api import Context, index_by_kind
from gitops.policy.engine import run_rule
from gitops.policy.registry import Rule, all_rules

HERE = Path(__file__).resolve().parent


_FILE = re.compile(r"^# file: (\S+)$", re.M)


def resources(text: str, file: str = "t.yaml", env: str | None = None, app: str | None = None) -> list[Resource]:
    """The documents of `text`; a document starting with `# file: PATH` comes from that file."""
    out = []
    for i, part in enumerate(re.split(r"^---$", text, flags=re.M)):
        doc = yaml.safe_load(part)
        if doc is not None:
            named = _FILE.search(part)
            out.append(Resource(doc, Origin(file=named.group(1) if named else file, doc_index=i, line=1 + i,
                                            app=app, env=env)))
    return out


def check(rule_id: str, text: str, production: bool = False, options: dict | None = None,
          kubernetes_version: str = "1.33") -> list[Finding]:
    """Run one rule alone (its defaults, the example context, then `options`) on the YAML text."""
    rule = all_rules()[rule_id]
    objects = tuple(resources(text))
    merged = {**rule.options, **rule.example_context.get("options", {}), **(options or {})}
    base = rule.example_context.get("base")
    ctx = Context(resources=objects, options=merged, severity=rule.severity,
                  production=production or rule.example_context.get("production", False),
                  kubernetes_version=kubernetes_version, index=index_by_kind(objects),
                  base=tuple(resources(base)) if base is not None else None)
    return run_rule(rule, ctx, objects)


def family(name: str) -> list[str]:
    ids = sorted(r.id for r in all_rules().values() if r.family == name)
    assert ids, f"no rules in family {name}"
    return ids


def assert_examples(rule_id: str) -> None:
    """The failing example yields findings of this rule only; the passing one yields none."""
    rule: Rule = all_rules()[rule_id]
    examples = rule.examples()
    assert set(examples) == {"Fails", "Passes"}, f"{rule_id}: its documentation needs a Fails and a Passes example"
    failing = check(rule_id, examples["Fails"])
    assert failing, f"{rule_id}: the failing example passed"
    assert {f.rule for f in failing} == {rule_id}
    assert all(f.severity == rule.severity and f.message for f in failing)
    passing = check(rule_id, examples["Passes"])
    assert passing == [], f"{rule_id}: the passing example failed: {[f.message for f in passing]}"
