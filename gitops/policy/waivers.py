"""Waivers: accepted exceptions to a rule, each with a reason. Two channels, each can be switched off.

- annotation on the object: `gitops.dev/waive.<rule-id>: "<reason>"` (lives with the object; no expiry);
- `policies/waivers.yaml`: entries with rule, match (env, app, kind, namespace, name; globs allowed),
  reason, owner and an expiry date.

A waiver without a reason is refused. An expired waiver stops waiving and is reported; a waiver that
waived nothing in a run is reported as a warning. Waived findings stay in the output, marked.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..findings import Found
from ..manifests.resource import Origin
from ..yamlio import line_of, load_located, read_located

ANNOTATION_PREFIX = "gitops.dev/waive."
SELECTOR_KEYS = ("env", "app", "kind", "namespace", "name")
_ENTRY_KEYS = ("rule", "match", "reason", "owner", "expires")


@dataclass(frozen=True)
class Waiver:
    rule: str
    match: tuple[tuple[str, str], ...]  # (selector key, glob)
    reason: str
    owner: str
    expires: dt.date
    file: str
    line: int

    def selects(self, env: str | None, app: str | None, kind: str, namespace: str, name: str) -> bool:
        values = {"env": env or "", "app": app or "", "kind": kind, "namespace": namespace, "name": name}
        return all(fnmatch.fnmatchcase(values[key], glob) for key, glob in self.match)

    @property
    def env(self) -> str | None:
        return dict(self.match).get("env")

    def expired(self, today: dt.date) -> bool:
        return self.expires < today

    def found(self, message: str) -> Found:
        """A problem with this entry itself (expired, unused), at its line in the waiver file."""
        return Found(None, message, origin=Origin(file=self.file, line=self.line), path=f"waivers[{self.rule}]")


DEFAULT_MAX_DAYS = 366  # how far ahead an expiry may be (policy.yaml: waivers: {maxDays: N})


@dataclass(frozen=True)
class Limits:
    """What every entry must respect: the latest expiry allowed, counted from `today`."""

    max_days: int = DEFAULT_MAX_DAYS
    today: dt.date | None = None  # None: the day of the run

    @property
    def latest(self) -> dt.date:
        return (self.today or dt.date.today()) + dt.timedelta(days=self.max_days)


def load_waivers(path: str, rules: dict, envs: tuple[str, ...], limits: Limits = Limits()) -> list[Waiver]:
    rel = os.path.relpath(path)
    return _waivers_from(read_located(path, rel), rel, rules, envs, limits)


def parse_waivers(text: str, file: str, rules: dict, envs: tuple[str, ...], limits: Limits = Limits()) -> list[Waiver]:
    return _waivers_from(load_located(text, file), file, rules, envs, limits)


def _waivers_from(data: Any, file: str, rules: dict, envs: tuple[str, ...], limits: Limits) -> list[Waiver]:
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) - {"waivers"} or not isinstance(data.get("waivers") or [], list):
        raise InputError("expected `waivers:` holding a list of entries", file=file, line=1)
    return [_entry(item, file, rules, envs, limits) for item in data.get("waivers") or []]


def _entry(item: Any, file: str, rules: dict, envs: tuple[str, ...], limits: Limits) -> Waiver:
    if not isinstance(item, dict):
        raise InputError("a waiver is a mapping of rule, match, reason, owner, expires", file=file)
    line = line_of(item) or 0
    for key in item:
        if key not in _ENTRY_KEYS:
            raise InputError(f"unknown waiver key {key!r}; expected {', '.join(_ENTRY_KEYS)}", file=file,
                             line=line_of(item, key))
    rule = item.get("rule")
    if not isinstance(rule, str) or stage_of(rule, rules) is None:
        raise InputError(f"waiver for unknown rule {rule!r} (see `gitops rules`)", file=file,
                         line=line_of(item, "rule") or line)
    if not waivable(rule, rules):
        raise InputError(f"waiver for {rule}: this id cannot be waived (the API server or the reader refuses it "
                         "whatever a waiver says); fix the object instead", file=file,
                         line=line_of(item, "rule") or line)
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(f"waiver for {rule} has no reason; a waiver without a reason is refused", file=file, line=line)
    owner = item.get("owner")
    if not isinstance(owner, str) or not owner.strip():
        raise InputError(f"waiver for {rule} has no owner (who answers for it)", file=file, line=line)
    written = item.get("expires")
    expires = written
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            expires = None
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if not isinstance(expires, dt.date):
        got = f"got {written!r}; " if written is not None else ""
        raise InputError(f"waiver for {rule}: expires: {got}expected a date such as 2027-01-31", file=file,
                         line=line_of(item, "expires") or line)
    if expires > limits.latest:
        raise InputError(f"waiver for {rule}: expires: {expires.isoformat()} is more than {limits.max_days} days "
                         f"ahead (latest allowed: {limits.latest.isoformat()}); waivers are reviewed when they "
                         "expire (the horizon is waivers: {maxDays: N} in policies/policy.yaml)", file=file,
                         line=line_of(item, "expires") or line)
    match = item.get("match")
    if match is None or match == {}:
        # Without a match a waiver would cover the rule for every app in every environment.
        raise InputError(f"waiver for {rule} has no match; say what it covers, e.g. match: {{app: web, env: prod}} "
                         f"(any of {', '.join(SELECTOR_KEYS)}; a rule off everywhere belongs in policies/policy.yaml)",
                         file=file, line=line_of(item, "match") or line)
    if not isinstance(match, dict):
        raise InputError(f"waiver for {rule}: match: expected a mapping of {', '.join(SELECTOR_KEYS)}", file=file,
                         line=line_of(item, "match"))
    for key, value in match.items():
        if key not in SELECTOR_KEYS or not isinstance(value, str):
            raise InputError(f"waiver for {rule}: match: {key}: expected one of {', '.join(SELECTOR_KEYS)} "
                             "with a string (globs allowed)", file=file, line=line_of(match, key))
    if "env" in match and not any(fnmatch.fnmatchcase(e, match["env"]) for e in envs):
        raise InputError(f"waiver for {rule}: match: env {match['env']!r} names no environment of gitops.yaml "
                         f"({', '.join(envs)})", file=file, line=line_of(match, "env"))
    return Waiver(rule, tuple(sorted(match.items())), reason.strip(), owner.strip(), expires, file, line)


def stage_of(rule_id: str, rules: dict) -> str | None:
    """The catalog stage of a finding id (policy rules are `policy`), or None for an unknown id."""
    if rule_id in rules:
        return "policy"
    from ..catalog.builtin import BY_ID

    if rule_id in BY_ID:
        return BY_ID[rule_id].stage
    from ..apiserver import RULES

    return "api-server" if any(r.id == rule_id for r in RULES) else None


def waivable(rule_id: str, rules: dict) -> bool:
    """Whether a waiver may accept a finding of this id (the catalog's `waivable`)."""
    if rule_id in rules:
        return bool(rules[rule_id].waivable)
    from ..catalog.builtin import BY_ID

    return rule_id in BY_ID and BY_ID[rule_id].waivable


def annotation_waivers(annotations: Any) -> dict[str, str]:
    """rule id -> reason from an object's `gitops.dev/waive.<rule>` annotations."""
    if not isinstance(annotations, dict):
        return {}
    return {k[len(ANNOTATION_PREFIX):]: v if isinstance(v, str) else "" for k, v in annotations.items()
            if isinstance(k, str) and k.startswith(ANNOTATION_PREFIX)}
