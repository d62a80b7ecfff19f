"""The checks that turn a manifest set into findings, run the same way on both sides of a change.

A stage is `stage(config, resources, base, on_disk, complete) -> [Finding]`: `base` is the manifest
set at the base ref (None when there is none), `on_disk` says whether the resources' files are the
ones on disk (the head) or only in memory (the base, whose worktree is gone), so lines can only be
looked up in files for the former; `complete` says whether `resources` is the whole set or only
part of it (the changed apps, a shard), which decides what can be called unused. The gate (`gitops check`) and the pull-request delta both call
`findings_for`, so a check added here is part of both.
"""
from __future__ import annotations

import importlib.util
from typing import Callable

from ..catalog.entry import STAGES
from ..config import Config
from ..findings import Finding
from ..manifests.resource import Resource

FindingStage = Callable[..., list[Finding]]


def by_env(resources: list[Resource]) -> dict[str, list[Resource]]:
    groups: dict[str, list[Resource]] = {}
    for r in resources:
        groups.setdefault(r.origin.env or "", []).append(r)
    return groups


def policy_stage(config: Config, resources: list[Resource], base: list[Resource] | None,
                 on_disk: bool = True, complete: bool = True, found_before: list[Finding] | None = None
                 ) -> list[Finding]:
    """The policy engine (gitops.policy), each environment with its own settings; the base
    manifests go to the rules that compare with them (an immutable field changed, say). It is the
    one engine: `found_before` (what the earlier stages found) comes back with the severity
    policies/policy.yaml gives each id per environment, and ids switched off there dropped."""
    from ..policy import config as policy_config
    from ..policy.engine import Engine
    from ..policy.lines import with_lines
    from ..policy.waivers import waivable
    from .hints import with_spec_hints

    engine = Engine(policy_config.load(config), complete=complete)
    production = {e.name: e.production for e in config.environments}
    groups, base_groups = by_env(resources), by_env(base or [])
    found: list[Finding] = []
    for env in sorted(groups):
        found += engine.run(groups[env], env or None, production.get(env, False),
                            None if base is None else base_groups.get(env, []))
    if found_before:
        found += engine.settle(found_before, production)
    found += engine.finish(STAGES)
    if not on_disk:  # the base side: its spec files are not on disk to point into
        return found
    # a finding on generated output says which spec line to change, and the waiver to write
    found = with_spec_hints(found, config.root, lambda rule: waivable(rule, engine.config.rules))
    return with_lines(found)


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def schema_stage(config: Config, resources: list[Resource], base: list[Resource] | None,
                 on_disk: bool = True, complete: bool = True) -> list[Finding]:
    """Schema validation (gitops.schema): Kubernetes and imported CRD schemas, CEL rules, and the
    API-server checks registered with it."""
    from ..schema.stage import schema_stage as run

    return run(config, resources, base, on_disk=on_disk)


def cluster_stage(config: Config, resources: list[Resource], base: list[Resource] | None,
                  on_disk: bool = True, complete: bool = True) -> list[Finding]:
    """What the environment's cluster would do with the set (gitops.admission): Pod Security
    admission, references to its classes and CRDs, HPA metric sources, scheduling on its nodes.
    On part of a set, references that the rest of the set may satisfy are not reported."""
    from ..admission.run import cluster_stage as run

    return run(config, resources, base, on_disk=on_disk, complete=complete)


def sync_stage(config: Config, resources: list[Resource], base: list[Resource] | None,
               on_disk: bool = True, complete: bool = True) -> list[Finding]:
    """The sync simulation (gitops.syncplan): Argo CD waves and health, Flux dependencies, per environment."""
    from ..syncplan import findings, simulate
    from ..syncplan.health import inventory_classes
    from ..synth.cluster import profile_for

    environments = {e.name: e for e in config.environments}
    out: list[Finding] = []
    for env, group in sorted(by_env(resources).items()):
        known = environments.get(env)
        classes = inventory_classes(profile_for(config, known)) if known is not None else {}
        out += findings(simulate(group, classes))
    return out


FINDING_STAGES: list[FindingStage] = [schema_stage, cluster_stage, sync_stage] + (
    [policy_stage] if _available("gitops.policy.engine") else [])


def findings_for(config: Config, resources: list[Resource], base: list[Resource] | None = None,
                 on_disk: bool = True, complete: bool = True) -> list[Finding]:
    out: list[Finding] = []
    for stage in FINDING_STAGES:
        if stage is policy_stage:  # the one engine settles what the stages before it found
            out = stage(config, resources, base, on_disk=on_disk, complete=complete, found_before=out)
        else:
            out += stage(config, resources, base, on_disk=on_disk, complete=complete)
    return sorted(out, key=Finding.sort_key)
