"""The policy engine: runs the enabled rules over a set of resources, then applies waivers.

Severity, enablement and options come from the policy configuration for the environment at hand;
rules only yield findings. Waived findings stay in the result, marked, so reports can show them.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import replace
from typing import Iterable

from ..catalog.builtin import stamp
from ..findings import Finding, Found
from ..manifests.reader import format_path
from ..manifests.resource import Resource
from .api import SHAPE_ERRORS, Context, index_by_kind
from .config import PolicyConfig
from .registry import Rule
from .waivers import ANNOTATION_PREFIX, Waiver, annotation_waivers

# Files that describe how to build manifests, not objects sent to a cluster.
_NOT_OBJECTS = ("kustomize.config.k8s.io/",)


class Engine:
    """One engine per command run: it remembers which file waivers were used across environments.

    `complete`: the run checks the whole manifest set (a full `check`, `policy` on generated/), so a
    file waiver that matches no resource at all is stale. A partial run (one folder, the changed
    apps of `check --base`, a shard) can only call a waiver unused when some resource it checked
    falls under the waiver's match.
    """

    def __init__(self, config: PolicyConfig, today: dt.date | None = None, complete: bool = True,
                 unseen: frozenset[str] = frozenset()):
        self.config = config
        self.unseen = unseen  # folders with skipped templates (see Context.unseen)
        self.today = today or dt.date.today()
        self.complete = complete
        self._used: set[Waiver] = set()
        self._checked: set[Waiver] = set()  # waivers some checked resource falls under
        self._envs: set[str | None] = set()

    def run(self, resources: Iterable[Resource], env: str | None = None, production: bool = False,
            base: Iterable[Resource] | None = None) -> list[Finding]:
        objects = tuple(r for r in resources if isinstance(r.obj, dict) and not r.api_version.startswith(_NOT_OBJECTS))
        self._envs.add(env)
        self._note_checked(objects, env)
        context = Context(resources=objects, env=env, production=production,
                          kubernetes_version=self.config.kubernetes_version,
                          base=tuple(base) if base is not None else None, index=index_by_kind(objects),
                          unseen=self.unseen)
        settings = self.config.settings(env, production)
        findings: list[Finding] = []
        for rule_id, setting in settings.items():
            if setting.enabled:
                rule = self.config.rules[rule_id]
                ctx = replace(context, options=setting.options, severity=setting.severity)
                findings.extend(run_rule(rule, ctx, objects))
        return self._waive(findings, objects, env, {r for r, s in settings.items() if s.enabled})

    def settle(self, findings: Iterable[Finding], production: dict[str, bool]) -> list[Finding]:
        """What the other stages found (schema, API-server, manifest, sync ids), with the severity
        policies/policy.yaml gives each id in the finding's environment; an id switched off there
        is dropped. Policy rules' findings are settled in `run` already."""
        out = []
        for f in findings:
            if f.rule in self.config.rules:
                out.append(f)
                continue
            env = f.origin.env or None
            override = self.config.override(f.rule, env, production.get(env or "", False))
            if override.get("enabled", True):
                out.append(replace(f, severity=override["severity"]) if "severity" in override else f)
        return out

    def finish(self) -> list[Finding]:
        """What the waiver file says about itself: expired entries, and entries that waived nothing."""
        out = []
        for waiver in self.config.waivers:
            if waiver.expired(self.today):
                out.append(stamp(waiver.found(f"waiver for {waiver.rule} expired on {waiver.expires.isoformat()} "
                                              f"(owner {waiver.owner}); it no longer waives"), "waiver-expired"))
            elif waiver not in self._used and self._in_scope(waiver):
                out.append(stamp(waiver.found(f"waiver for {waiver.rule} (owner {waiver.owner}) matched no finding; "
                                              "remove it"), "waiver-unused"))
        return out

    def _note_checked(self, objects: tuple[Resource, ...], env: str | None) -> None:
        for waiver in self.config.waivers:
            if waiver not in self._checked and any(
                    waiver.selects(env or r.origin.env, r.origin.app, *_split_ref(r.ref())) for r in objects):
                self._checked.add(waiver)

    def _in_scope(self, waiver: Waiver) -> bool:
        if waiver in self._checked:
            return True
        return self.complete and (waiver.env is None or any(e and _glob(e, waiver.env) for e in self._envs))

    def _waive(self, findings: list[Finding], objects: tuple[Resource, ...], env: str | None,
               enabled: set[str]) -> list[Finding]:
        by_place = {(r.origin.file, r.origin.doc_index, r.ref()): r for r in objects}
        annotation_use: set[tuple] = set()
        out = []
        for f in findings:
            res = by_place.get((f.origin.file, f.origin.doc_index, f.resource))
            reason = ""
            if res is not None and self.config.annotation_waivers:
                reason = annotation_waivers(res.metadata.get("annotations")).get(f.rule, "").strip()
            if reason:
                annotation_use.add((f.origin.file, f.origin.doc_index, f.resource, f.rule))
                out.append(f.waive(reason))
                continue
            out.append(self._file_waiver(f, env))
        if self.config.annotation_waivers:
            out.extend(_annotation_problems(objects, annotation_use, enabled, self.config.rules))
        return out

    def _file_waiver(self, f: Finding, env: str | None) -> Finding:
        kind, namespace, name = _split_ref(f.resource)
        for waiver in self.config.waivers:
            if waiver.rule == f.rule and waiver.selects(env or f.origin.env, f.origin.app, kind, namespace, name):
                if waiver.expired(self.today):
                    continue  # reported by finish(); the finding stays active
                self._used.add(waiver)
                return f.waive(waiver.reason, waiver.expires.isoformat(), by="file")
        return f


def run(resources: Iterable[Resource], config: PolicyConfig, env: str | None = None, production: bool = False,
        base: Iterable[Resource] | None = None, today: dt.date | None = None) -> list[Finding]:
    """Policies over one set of resources in one environment, with the waiver file's own findings."""
    engine = Engine(config, today)
    return engine.run(resources, env, production, base) + engine.finish()


def run_rule(rule: Rule, ctx: Context, objects: tuple[Resource, ...]) -> list[Finding]:
    """The rule's findings: what its check found, stamped with its id and the configured severity."""
    found: list[Found] = []
    if rule.scope == "set":
        try:
            found.extend(rule.check(ctx))
        except SHAPE_ERRORS as exc:
            found = [Found(None, f"could not check this set: {type(exc).__name__}: {exc}")]
    else:
        if rule.kinds:
            objects = tuple(ctx.of_kind(*rule.kinds))
        for res in objects:
            try:
                found.extend(rule.check(res, ctx))
            except SHAPE_ERRORS as exc:
                found.append(Found(res, f"could not check: an unexpected shape ({type(exc).__name__}: {exc})"))
    return [Finding.stamp(f, rule.id, ctx.severity) for f in found]


def _annotation_problems(objects: tuple[Resource, ...], used: set[tuple], enabled: set[str],
                         rules: dict[str, Rule]) -> list[Finding]:
    out = []
    for res in objects:
        for rule_id, reason in sorted(annotation_waivers(res.metadata.get("annotations")).items()):
            path = format_path(["metadata", "annotations", ANNOTATION_PREFIX + rule_id])
            if rule_id not in rules:
                out.append(stamp(Found(res, f"waiver annotation names an unknown rule {rule_id!r}", path=path,
                                       hint="see `gitops rules`"), "waiver-unknown-rule"))
            elif not reason.strip():
                out.append(stamp(Found(res, f"waiver annotation for {rule_id} has no reason; a waiver without "
                                       "a reason is refused", path=path,
                                       hint="write why the exception is acceptable as the annotation's value"),
                                 "waiver-invalid"))
            elif rule_id in enabled and (res.origin.file, res.origin.doc_index, res.ref(), rule_id) not in used:
                out.append(stamp(Found(res, f"waiver annotation for {rule_id} waives nothing here; remove it",
                                       path=path), "waiver-unused"))
    return out


def _split_ref(ref: str) -> tuple[str, str, str]:
    parts = ref.split("/")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    if len(parts) == 2:
        return parts[0], "", parts[1]
    return "", "", ""


def _glob(value: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern)
