"""A pull request under review: the base side, the plan, the policy delta and the gate's verdict.

The checks that produce findings are the stages in gitops.stages, run the same way on both sides
and always with the head's configuration and policies: the delta then shows what the change does
under today's rules, so adding a strict rule never counts its old violations as new.

With --base, when only some spec files changed (see gitref.Scope), only those apps are synthesized,
drift-checked and checked, on both sides. The other apps' specs, generated files and the shared
files are unchanged since the base, which the main-branch workflow checks in full; a changed file
in generated/ outside the changed apps' folders widens the run to every app.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..config import Config
from .delta import Delta, delta
from ..diff import Plan, compare
from ..findings import Finding
from .gitref import (Scope, changed_files, merge_base, resolve, scope_of, synthesize_at, synthesize_scope, toplevel,
                     with_spec_inputs)
from ..manifests.resource import Resource
from ..write.tree import Drift, drift
from ..synth.pipeline import EXTRA_FILES, Synthesis, whole_set_inputs
from ..write.layout import app_files, tree_state
from ..check.stages import findings_for


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its synthesis, restricted to the scope."""

    ref: str  # as the user wrote it ("working tree" for the files on disk)
    commit: str
    synthesis: Synthesis
    resources: list[Resource] = field(default_factory=list)


@dataclass(frozen=True)
class Review:
    base: Side
    head: Side
    scope: Scope
    plan: Plan
    delta: Delta


def _outside_changed_apps(config: Config, files: list[str], *syntheses: Synthesis) -> str | None:
    """A changed file in generated/ outside the folders of the synthesized apps, if any."""
    repo = toplevel(config.root)
    generated = os.path.relpath(config.path(config.generated_dir), repo)
    folders = {f"{generated}/{r.env}/{r.app}/" for s in syntheses for r in s.rendered}
    for name in files:
        if name.startswith(generated + "/") and not any(name.startswith(f) for f in folders):
            return name
    return None


def sides(config: Config, base: str, head: str | None = None, use_cache: bool = True) -> tuple[Side, Side, Scope]:
    """Both sides, synthesized within the change's scope: base at the fork point, head at `head`
    (a ref, or the working tree when None). A change to generated/ outside the changed apps'
    folders widens the scope to every app."""
    repo = toplevel(config.root)
    fork = merge_base(repo, base, head)
    files = changed_files(repo, base, head)
    scope = scope_of(config, files, repo)
    if head is None:  # the working tree: its specs' recorded inputs say what else a change reaches
        scope = with_spec_inputs(config, scope, files, repo, use_cache)
    while True:
        if head is None:
            synthesis = synthesize_scope(config, scope, use_cache=use_cache)
            after = Side("working tree", "", synthesis, synthesis.resources())
        else:
            synthesis = synthesize_at(config, head, scope, use_cache=use_cache)
            after = Side(head, resolve(repo, head), synthesis, synthesis.resources())
        before_synthesis = synthesize_at(config, fork, scope, use_cache=use_cache)
        before = Side(base, fork, before_synthesis, before_synthesis.resources())
        outside = None if scope.everything else _outside_changed_apps(config, files, synthesis, before_synthesis)
        if outside is not None:
            scope = Scope(True, reason=f"{outside} changed outside the changed apps")
        elif not scope.everything and _whole_set_changed(config, before_synthesis, synthesis):
            # The delivery folders are made from every app: an app added, removed, renamed or moved
            # changes them, so they (and every app) are checked as the full gate would.
            scope = Scope(True, reason="an app was added, removed or moved: the delivery folders list every app")
        else:
            return before, after, scope


def _whole_set_changed(config: Config, base: Synthesis, head: Synthesis) -> bool:
    """Whether the change alters what the whole-set (delivery) folders are made from, when the
    project has such folders."""
    if sorted(whole_set_inputs(base.targets, base.rendered)) == sorted(whole_set_inputs(head.targets, head.rendered)):
        return False
    return any(extra(config, side.targets, side.rendered) for extra in EXTRA_FILES for side in (base, head))


def review(config: Config, base: Side, head: Side, scope: Scope, head_findings: list[Finding] | None = None,
           base_findings: list[Finding] | None = None) -> Review:
    """The plan and the delta. Findings are computed with FINDING_STAGES when not given."""
    if base_findings is None:
        base_findings = findings_for(config, base.resources, on_disk=False, complete=scope.everything)
    if head_findings is None:
        head_findings = findings_for(config, head.resources, base=base.resources, complete=scope.everything)
    plan = compare(base.resources, head.resources)
    # Outside the scope (unchanged apps, or findings about no app such as an unused file waiver in a
    # partial run) nothing can be new or fixed: the head's are existing, the base's are the same ones.
    in_scope = [f for f in head_findings if scope.includes(f.origin.spec_file)]
    outside = [f for f in head_findings if not scope.includes(f.origin.spec_file)]
    base_in_scope = [f for f in base_findings if scope.includes(f.origin.spec_file)]
    result = delta(base_in_scope, in_scope, renamed=plan.renamed(), base_objects=_objects(base.resources),
                   head_objects=_objects(head.resources))
    existing = tuple(sorted(result.existing + tuple(outside), key=Finding.sort_key))
    return Review(base, head, scope, plan, Delta(result.new, result.fixed, existing))


def _objects(resources: list[Resource]) -> dict[tuple[str, str], dict]:
    return {(r.origin.env or "", r.ref()): r.obj for r in resources}


def drift_in_scope(config: Config, synthesis: Synthesis, scope: Scope, base: Side | None = None,
                   use_cache: bool = True) -> tuple[Drift, int]:
    """Drift of generated/ against `synthesis` and the number of folders compared: all of it, or
    only the folders of the apps in scope (those on the head, and on the base for deleted apps,
    whose folders must be gone). A partial run never lays out the delivery folders: they are made
    from every app, and a change to them widens the scope to everything (see sides)."""
    target = config.path(config.generated_dir)
    if scope.everything:
        return drift(target, synthesis.units, tree_state(config, use_cache)), len(synthesis.units)
    rendered = {f"{r.env}/{r.app}": r for r in synthesis.rendered}
    folders = set(rendered)
    if base is not None:
        folders |= {f"{r.env}/{r.app}" for r in base.synthesis.rendered}
    result = Drift()
    for folder in sorted(folders):
        part = drift(os.path.join(target, folder), app_files(rendered[folder]) if folder in rendered else {})
        result.added += [f"{folder}/{n}" for n in part.added]
        result.removed += [f"{folder}/{n}" for n in part.removed]
        result.changed += [f"{folder}/{n}" for n in part.changed]
        result.diffs.update({f"{folder}/{n}": d for n, d in part.diffs.items()})
    return result, len(folders)
