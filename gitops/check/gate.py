"""The CI gate behind `gitops check`: drift and findings in one pass, one report.

The report (`report.model.CheckReport`) is written by `report/` like every other command's, and
its `exit_code` gives the verdict: drift, or findings at or above --fail-on (only the new ones with
--fail-on-new).
"""
from __future__ import annotations

import os

from . import stages
from ..config import Config
from ..errors import InputError
from ..review.gitref import Scope, synthesize_scope
from ..write.tree import drift
from ..synth.pipeline import synthesize, terminal_progress
from ..write.layout import tree_state
from ..report.model import CheckReport
from ..review.pull_request import drift_in_scope, review, sides
from .shard import Shard
from .stages import findings_for


def shard_scope(config: Config, shard: Shard) -> Scope:
    """The apps of the spec files (relative to the project root) that belong to `shard`."""
    from ..spec.loader import spec_files

    root = config.root
    files = [os.path.relpath(path, root) for path in spec_files(config.path(config.apps_dir))]
    return Scope(False, frozenset(shard.select(files)), reason=f"shard {shard}")


def run(config: Config, base: str | None = None, fail_on_new: bool = False, use_cache: bool = True,
        fail_on: str = "error", shard: Shard | None = None) -> CheckReport:
    """Synthesize, check drift and findings (against `base` when given; only `shard`'s apps when
    given) and decide the exit code."""
    if fail_on_new and not base:
        raise InputError("--fail-on-new needs --base REF (the findings on the base are the baseline)")
    if shard and base:
        raise InputError("--shard and --base cannot be combined: --base already checks only the changed apps")
    rev = None
    if shard:
        scope = shard_scope(config, shard)
        synthesis = synthesize_scope(config, scope, use_cache=use_cache)
        found, folders = drift_in_scope(config, synthesis, scope)
        resources = synthesis.resources() if stages.FINDING_STAGES else []
        findings = findings_for(config, resources, complete=False)
    elif base:
        before, head, scope = sides(config, base, None, use_cache)
        synthesis = head.synthesis
        found, folders = drift_in_scope(config, synthesis, scope, before, use_cache)
        resources = head.resources
        findings = findings_for(config, resources, base=before.resources, complete=scope.everything)
        rev = review(config, before, head, scope, head_findings=findings)
    else:
        synthesis = synthesize(config, use_cache=use_cache, progress=terminal_progress("check"))
        found = drift(config.path(config.generated_dir), synthesis.units, tree_state(config, use_cache))
        folders = len(synthesis.units)
        # Resources are read from the cache only when some check needs them.
        resources = synthesis.resources() if stages.FINDING_STAGES else []
        findings = findings_for(config, resources)
    drifted = len(found.added) + len(found.removed) + len(found.changed)
    return CheckReport(list(findings), resources=len(resources), files=folders, fail_on=fail_on, drifted=drifted,
                       judged=list(rev.delta.new) if rev is not None and fail_on_new else None, drift=found,
                       folders=folders, generated=os.path.relpath(config.path(config.generated_dir)), review=rev,
                       fail_on_new=fail_on_new)
