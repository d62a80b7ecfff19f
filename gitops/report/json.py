"""JSON with a stable shape (documented in docs/validation.md); `version` changes on any break
(adding a key is not one: `column` and `waivedBy` came later in version 1)."""
from __future__ import annotations

import json

from ..findings import Finding, Report
from .model import DEFAULT_STYLE, Style, summary

NAME = "json"
SHAPE_VERSION = 1


def finding_dict(f: Finding) -> dict:
    return {
        "rule": f.rule, "severity": f.severity, "message": f.message, "hint": f.hint,
        "file": f.origin.file, "line": f.where_line or None, "column": f.column if f.where_line else None,
        "docIndex": f.origin.doc_index,
        "resource": f.resource, "path": f.path,
        "app": f.origin.app, "env": f.origin.env, "specFile": f.origin.spec_file, "specLine": f.origin.spec_line,
        "waived": f.waived, "waiverReason": f.waiver_reason or None, "waiverExpiry": f.waiver_expiry or None,
        "waivedBy": f.waived_by or None,
    }


def render(report: Report, style: Style = DEFAULT_STYLE) -> list[str]:
    data = {"version": SHAPE_VERSION, "tool": report.tool, "summary": summary(report),
            "findings": [finding_dict(f) for f in report.sorted()]}
    return [json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"]
