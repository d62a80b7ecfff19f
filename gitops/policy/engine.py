"""The policy engine: runs the enabled rules over a set of resources, then applies waivers (to
every waivable id of the catalog, whichever stage found it).

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
from .reach import Place, Reach, place
from .registry import Rule
from .waivers import ANNOTATION_PREFIX, Waiver, annotation_waivers, stage_of, waivable

# Files that describe how to build manifests, not objects sent to a cluster.
_NOT_OBJECTS = ("kustomize.config.k8s.io/",)


class Engine:
    """One engine per command run, and the one place waivers are applied, for every waivable id of
    the catalog (policy rules, and the schema, admission and sync ids the catalog marks waivable).

    `run` runs the policy rules of one environment and waives their findings; `settle` gives what
    the other stages found (manifest, schema, API-server, admission, sync ids) its severity for the
    environment and waives it the same way; `see` adds resources whose annotations count (the
    objects `gitops validate` kept); `finish` reports the waivers themselves (annotations naming
    no id or one that cannot be waived, empty reasons, expired or unused entries).

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
        self._reach = Reach()
        self._env_of: dict[Place, str | None] = {}
        self._enabled: dict[str | None, set[str]] = {}  # policy rules on, per environment
        self._annotation_use: set[tuple[Place, str]] = set()

    def run(self, resources: Iterable[Resource], env: str | None = None, production: bool = False,
            base: Iterable[Resource] | None = None) -> list[Finding]:
        objects = tuple(r for r in resources if isinstance(r.obj, dict) and not r.api_version.startswith(_NOT_OBJECTS))
        self.see(objects, env)
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
        self._enabled.setdefault(env, set()).update(r for r, s in settings.items() if s.enabled)
        return [self._waive(f, env) for f in findings]

    def see(self, resources: Iterable[Resource], env: str | None = None) -> None:
        """Resources whose waiver annotations count in this run (and whose file waivers were in scope)."""
        objects = tuple(r for r in resources if isinstance(r.obj, dict))
        self._envs.add(env)
        self._note_checked(objects, env)
        self._reach.add(objects)
        for res in objects:
            self._env_of.setdefault(place(res), env or res.origin.env)

    def settle(self, findings: Iterable[Finding], production: dict[str, bool]) -> list[Finding]:
        """What the other stages found (schema, API-server, manifest, admission, sync ids), with the
        severity policies/policy.yaml gives each id in the finding's environment (an id switched off
        there is dropped), and waived where the catalog allows it. Policy rules' findings are
        settled in `run` already."""
        out = []
        for f in findings:
            env = f.origin.env or None
            if f.rule in self.config.rules:  # api-removed/-deprecated, which the schema check finds too
                out.append(self._waive(f, env) if waivable(f.rule, self.config.rules) else f)
                continue
            override = self.config.override(f.rule, env, production.get(env or "", False))
            if override.get("enabled", True):
                settled = replace(f, severity=override["severity"]) if "severity" in override else f
                out.append(self._waive(settled, env) if waivable(f.rule, self.config.rules) else settled)
        return out

    def finish(self, stages: Iterable[str] = ("policy",)) -> list[Finding]:
        """What the waivers say about themselves: annotations naming an unknown id, an id that cannot
        be waived, or no reason; file entries expired; and waivers that waived nothing, judged only
        for the ids whose `stages` ran in this command (catalog.entry.STAGES)."""
        ran = set(stages)
        out = self._annotation_problems(ran) if self.config.annotation_waivers else []
        for waiver in self.config.waivers:
            if waiver.expired(self.today):
                out.append(stamp(waiver.found(f"waiver for {waiver.rule} expired on {waiver.expires.isoformat()} "
                                              f"(owner {waiver.owner}); it no longer waives"), "waiver-expired"))
            elif waiver not in self._used and self._in_scope(waiver) and stage_of(waiver.rule, self.config.rules) in ran:
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

    def _waive(self, f: Finding, env: str | None) -> Finding:
        """The finding waived by an annotation (its object's own, or the workload's it was made for),
        else by a file entry, else as it was."""
        if self.config.annotation_waivers:
            reason, carrier = self._reach.waivers((f.origin.file, f.origin.doc_index, f.resource), f.origin.app,
                                                  f.origin.env).get(f.rule, ("", None))
            if reason.strip() and carrier is not None:
                self._annotation_use.add((carrier, f.rule))
                return f.waive(reason.strip())
        return self._file_waiver(f, env)

    def _file_waiver(self, f: Finding, env: str | None) -> Finding:
        kind, namespace, name = _split_ref(f.resource)
        for waiver in self.config.waivers:
            if waiver.rule == f.rule and waiver.selects(env or f.origin.env, f.origin.app, kind, namespace, name):
                if waiver.expired(self.today):
                    continue  # reported by finish(); the finding stays active
                self._used.add(waiver)
                return f.waive(waiver.reason, waiver.expires.isoformat(), by="file")
        return f

    def _annotation_problems(self, ran: set[str]) -> list[Finding]:
        out = []
        rules = self.config.rules
        for res in self._reach.objects():
            where = place(res)
            for rule_id, reason in sorted(annotation_waivers(res.metadata.get("annotations")).items()):
                path = format_path(["metadata", "annotations", ANNOTATION_PREFIX + rule_id])
                stage = stage_of(rule_id, rules)
                if stage is None:
                    out.append(stamp(Found(res, f"waiver annotation names an unknown rule {rule_id!r}", path=path,
                                           hint="see `gitops rules`"), "waiver-unknown-rule"))
                elif not waivable(rule_id, rules):
                    out.append(stamp(Found(res, f"waiver annotation for {rule_id}: this id cannot be waived (the "
                                           "API server or the reader refuses it whatever a waiver says)", path=path,
                                           hint="fix the object; `gitops explain " + rule_id + "` says how"),
                                     "waiver-invalid"))
                elif not reason.strip():
                    out.append(stamp(Found(res, f"waiver annotation for {rule_id} has no reason; a waiver without "
                                           "a reason is refused", path=path,
                                           hint="write why the exception is acceptable as the annotation's value"),
                                     "waiver-invalid"))
                elif (where, rule_id) not in self._annotation_use and (
                        rule_id in self._enabled.get(self._env_of.get(where), set()) if stage == "policy"
                        else stage in ran):
                    out.append(stamp(Found(res, f"waiver annotation for {rule_id} waives nothing here; remove it",
                                           path=path), "waiver-unused"))
        return out


def run(resources: Iterable[Resource], config: PolicyConfig, env: str | None = None, production: bool = False,
        base: Iterable[Resource] | None = None, today: dt.date | None = None) -> list[Finding]:
    """Policies over one set of resources in one environment, with the waiver file's own findings."""
    engine = Engine(config, today)
    found = engine.run(resources, env, production, base)
    return found + engine.finish()


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


def _split_ref(ref: str) -> tuple[str, str, str]:
    parts = ref.split("/")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    if len(parts) == 2:
        return parts[0], "", parts[1]
    return "", "", ""


def _glob(value: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern)
