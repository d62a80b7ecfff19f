"""SARIF 2.1.0 for code-scanning uploads (GitHub) and GitLab: one result per finding, rules listed
once; waived findings carry an external suppression with the waiver's reason."""
from __future__ import annotations

import json

from .. import __version__
from ..findings import Report

NAME = "sarif"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    findings = report.sorted()
    rule_ids = sorted({f.rule for f in findings})
    rules = [{"id": rid, "name": rid, "shortDescription": {"text": rid.replace("-", " ")}} for rid in rule_ids]
    results = []
    for f in findings:
        result: dict = {
            "ruleId": f.rule, "ruleIndex": rule_ids.index(f.rule), "level": _LEVEL[f.severity],
            "message": {"text": " ".join(p for p in (f.resource, f.path + ":" if f.path else "", f.message) if p)
                        + (f" (hint: {f.hint})" if f.hint else "")},
            "properties": {"resource": f.resource, "path": f.path, "documentIndex": f.origin.doc_index},
        }
        if f.origin.file:
            location: dict = {"artifactLocation": {"uri": f.origin.file.replace("\\", "/")}}
            if f.where_line:
                location["region"] = {"startLine": f.where_line}
            result["locations"] = [{"physicalLocation": location}]
        if f.waived:
            result["suppressions"] = [{"kind": "external", "justification": f.waiver_reason}]
        results.append(result)
    sarif = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "gitops", "version": __version__, "informationUri": "https://example.invalid/gitops",
                            "rules": rules}},
        "results": results}]}
    return json.dumps(sarif, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
