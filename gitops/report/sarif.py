"""SARIF 2.1.0 for GitHub code scanning (and GitLab): one result per finding, with its rule described
from the catalog (description, help in text and Markdown, documentation link, default level).

- Locations are relative to the repository (`uriBaseId` %SRCROOT%), percent-encoded
  (`pod%20%231.yaml`), with line and column when known.
- `partialFingerprints` leave the line out, so an alert survives lines moving above it.
- Waived findings are suppressed: an annotation on the object is `inSource`, an entry of
  policies/waivers.yaml `external`; the justification is the waiver's reason.
- A finding about no file (a rule that could not check a set) is a tool notification, not a result:
  GitHub refuses results without a location.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from urllib.parse import quote

from .. import __version__
from ..findings import Finding, Report
from .model import DEFAULT_STYLE, Style

NAME = "sarif"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def rules_for(rule_ids: list[str]) -> list[dict]:
    """The `rules` array: each id described from the catalog (ids it does not know get their id)."""
    from ..catalog import catalog
    from ..catalog.entry import absolute, shown

    entries = catalog()
    out = []
    for rule_id in rule_ids:
        if rule_id not in entries:
            out.append({"id": rule_id, "name": rule_id, "shortDescription": {"text": rule_id.replace("-", " ")},
                        "fullDescription": {"text": rule_id.replace("-", " ")},
                        "help": {"text": "see `gitops explain`", "markdown": "see `gitops explain`"}})
            continue
        e = entries[rule_id]
        examples = "".join(f"\n\n{label}:\n\n```yaml\n{text.rstrip()}\n```" for label, text in e.examples
                           if not text.startswith("(") and e.stage != "policy")
        link, uri = shown(e.url), absolute(e.url)
        rule = {
            "id": e.id, "name": e.id,
            "shortDescription": {"text": e.title},
            "fullDescription": {"text": _plain(e.description)},
            "help": {"text": f"{e.remediation}. Documentation: {link}",
                     "markdown": f"{e.description}{examples}\n\n**Fix:** {e.remediation}.\n\n"
                                 + (f"[Documentation]({uri})" if uri else f"Documentation: `{link}`")},
            "defaultConfiguration": {"level": _LEVEL[e.severity]},
            "properties": {"tags": [e.stage] + ([e.family] if e.family and e.family != e.stage else [])},
        }
        if uri:  # SARIF wants an absolute URI here; a path inside the gitops repository goes in help
            rule["helpUri"] = uri
        out.append(rule)
    return out


def _information_uri() -> dict:
    from ..catalog.entry import docs_url

    base = docs_url()
    return {"informationUri": base} if base else {}


def _plain(markdown: str) -> str:
    """The first paragraph of a Markdown description, without its examples."""
    return markdown.split("\n\n")[0].replace("\n", " ").strip()


@lru_cache(maxsize=256)
def _repository_of(folder: str) -> str | None:
    """The nearest folder at or above `folder` holding `.git`, or None."""
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def artifact_uri(file: str) -> str:
    """The file relative to its repository (else to the working folder), percent-encoded, with /."""
    path = os.path.abspath(file)
    root = _repository_of(os.path.dirname(path)) or os.getcwd()
    return quote(os.path.relpath(path, root).replace(os.sep, "/"), safe="/")


def _fingerprint(f: Finding, uri: str) -> str:
    where = f.resource + "|" + f.path if f.resource or f.path else f.message
    return hashlib.sha256(f"{f.rule}|{uri}|{where}".encode()).hexdigest()


def _suppression(f: Finding) -> dict:
    kind = "external" if f.waived_by == "file" else "inSource"
    return {"kind": kind, "justification": f.waiver_reason}


def render(report: Report, style: Style = DEFAULT_STYLE) -> list[str]:
    findings = report.sorted()
    located = [f for f in findings if f.origin.file]
    rule_ids = sorted({f.rule for f in located})
    results = []
    seen: dict[str, int] = {}
    for f in located:
        uri = artifact_uri(f.origin.file)
        region: dict = {}
        if f.where_line:
            region["startLine"] = f.where_line
            if f.column:
                region["startColumn"] = f.column
        location: dict = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
        if region:
            location["region"] = region
        fingerprint = _fingerprint(f, uri)
        seen[fingerprint] = seen.get(fingerprint, 0) + 1
        if seen[fingerprint] > 1:  # the same problem twice in one place: still two alerts
            fingerprint += f":{seen[fingerprint]}"
        result: dict = {
            "ruleId": f.rule, "ruleIndex": rule_ids.index(f.rule), "level": _LEVEL[f.severity],
            "message": {"text": " ".join(p for p in (f.resource, f.path + ":" if f.path else "", f.message) if p)
                        + (f" (hint: {f.hint})" if f.hint else "")},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {"gitopsFinding/v1": fingerprint},
            "properties": {"resource": f.resource, "path": f.path, "documentIndex": f.origin.doc_index},
        }
        if f.waived:
            result["suppressions"] = [_suppression(f)]
        results.append(result)
    notes = [{"level": _LEVEL[f.severity], "message": {"text": f"{f.rule}: {f.message}"},
              "descriptor": {"id": f.rule}} for f in findings if not f.origin.file]
    return [dumps(log(rule_ids, results, notes))]


def log(rule_ids: list[str], results: list[dict], notes: list[dict]) -> dict:
    """A SARIF log of one run (also what `gitops merge` builds from the shards' logs)."""
    run: dict = {
        "tool": {"driver": {"name": "gitops", "version": __version__, **_information_uri(),
                            "rules": rules_for(rule_ids)}},
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the repository."}}},
        "results": results,
    }
    if notes:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notes}]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def dumps(sarif: dict) -> str:
    return json.dumps(sarif, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
