"""Joining the reports of `--shard K/N` runs into one report (`gitops merge`).

JSON reports (this tool's shape, see report/json.py) become one Report again, so it can be written
in any output format; the counts are summed and the findings pooled, which gives the report an
unsharded run makes, because every file (or app) is checked by exactly one shard. SARIF reports
are joined as SARIF: results pooled in the order SARIF output uses, rules listed once.
"""
from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from ..findings import SEVERITIES, Finding, Report
from ..manifests.resource import Origin
from . import sarif as sarif_format
from .json import SHAPE_VERSION
from .model import ValidationReport

__all__ = ["kind_of", "merge_json", "merge_sarif", "read"]


def read(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise InputError(f"cannot read report: {exc.strerror or exc}", file=path) from None
    except ValueError as exc:
        raise InputError(f"not a JSON or SARIF report: {exc}", file=path) from None
    if not isinstance(data, dict) or kind_of(data) is None:
        raise InputError("not a gitops JSON report (version, summary, findings) or a SARIF 2.1.0 log", file=path)
    return data


def kind_of(data: dict) -> str | None:
    if data.get("version") == "2.1.0" and isinstance(data.get("runs"), list):
        return "sarif"
    if data.get("version") == SHAPE_VERSION and isinstance(data.get("findings"), list) \
            and isinstance(data.get("summary"), dict):
        return "json"
    return None


def _count(summary: dict, name: str, file: str) -> int:
    value = summary.get(name, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InputError(f"summary.{name}: got {value!r}; expected a count", file=file)
    return value


def _finding(item: Any, file: str, number: int) -> Finding:
    where = f"findings[{number}]"
    if not isinstance(item, dict) or not isinstance(item.get("rule"), str) or not isinstance(item.get("message"), str):
        raise InputError(f"{where}: expected an object with rule and message", file=file)
    if item.get("severity") not in SEVERITIES:
        raise InputError(f"{where}.severity: got {item.get('severity')!r}; expected one of {', '.join(SEVERITIES)}",
                         file=file)

    def text(name: str) -> str:
        value = item.get(name)
        return value if isinstance(value, str) else ""

    def number_or_none(name: str) -> int | None:
        value = item.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    line = number_or_none("line")
    origin = Origin(file=text("file"), doc_index=number_or_none("docIndex") or 0, line=line or 0,
                    app=item.get("app") if isinstance(item.get("app"), str) else None,
                    env=item.get("env") if isinstance(item.get("env"), str) else None,
                    spec_file=item.get("specFile") if isinstance(item.get("specFile"), str) else None,
                    spec_line=number_or_none("specLine"))
    return Finding(rule=item["rule"], severity=item["severity"], message=item["message"], origin=origin,
                   resource=text("resource"), path=text("path"), line=line, hint=text("hint"),
                   waived=item.get("waived") is True, waiver_reason=text("waiverReason"),
                   waiver_expiry=text("waiverExpiry"), column=number_or_none("column"), waived_by=text("waivedBy"))


def merge_json(reports: list[tuple[str, dict]]) -> Report:
    """One Report from the JSON reports of the shards (all from the same command)."""
    tools = {data.get("tool") for _, data in reports}
    if len(tools) > 1:
        raise InputError(f"reports of different commands cannot be merged: {', '.join(sorted(map(str, tools)))}")
    tool = tools.pop() if tools else "gitops"
    merged: Report
    if tool == ValidationReport.tool:
        merged = ValidationReport()
    else:
        merged = Report(tool=str(tool))  # what the JSON output names
    for file, data in reports:
        summary = data["summary"]
        merged.resources += _count(summary, "resources", file)
        merged.files += _count(summary, "files", file)
        merged.skipped += _count(summary, "skipped", file)
        if isinstance(merged, ValidationReport):
            merged.valid += _count(summary, "valid", file)
            merged.invalid += _count(summary, "invalid", file)
            merged.errors += _count(summary, "errors", file)
        merged.findings.extend(_finding(item, file, n) for n, item in enumerate(data["findings"]))
    return merged


def _result_key(result: dict) -> tuple:
    """The order SARIF output gives its results (Report.sorted): file, document, line, rule, path, message."""
    location = (result.get("locations") or [{}])[0].get("physicalLocation", {})
    props = result.get("properties") or {}
    return (location.get("artifactLocation", {}).get("uri", ""), props.get("documentIndex", 0),
            location.get("region", {}).get("startLine", 0), result.get("ruleId", ""), props.get("path", ""),
            result.get("message", {}).get("text", ""))


def merge_sarif(reports: list[tuple[str, dict]]) -> str:
    """One SARIF log from the shards' logs: every result and tool notification, the rules re-indexed."""
    results: list[dict] = []
    notes: list[dict] = []
    for file, data in reports:
        for run in data["runs"]:
            if not isinstance(run, dict) or not isinstance(run.get("results", []), list):
                raise InputError("runs[]: expected objects with a results list", file=file)
            results.extend(r for r in run.get("results", []) if isinstance(r, dict))
            for invocation in run.get("invocations") or []:
                if isinstance(invocation, dict):
                    notes.extend(n for n in invocation.get("toolExecutionNotifications") or [] if isinstance(n, dict))
    try:
        results.sort(key=_result_key)
    except TypeError:
        raise InputError("SARIF results with locations or properties of unexpected types cannot be merged") from None
    rule_ids = sorted({r.get("ruleId", "") for r in results})
    for result in results:
        result["ruleIndex"] = rule_ids.index(result.get("ruleId", ""))
    return sarif_format.dumps(sarif_format.log(rule_ids, results, notes))
