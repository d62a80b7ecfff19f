"""`gitops merge REPORT...`: one report and one exit code from the reports of `--shard K/N` runs."""
from __future__ import annotations

import click

from ..errors import InputError
from ..findings import Report
from ..report.merge import kind_of, merge_json, merge_sarif, read
from ..report.write import parse_outputs, write, write_text
from .common import FAIL_ON


@click.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT[=FILE]",
              help="From JSON reports: any format (text, json, junit, sarif, tap, github); from SARIF logs: "
                   "sarif. FORMAT=FILE writes to a file; repeatable.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.pass_context
def merge(ctx: click.Context, reports: tuple[str, ...], outputs: tuple[str, ...], fail_on: str) -> None:
    """Join the JSON (or SARIF) reports of `validate --shard` or `check --shard` runs into one."""
    loaded = [(path, read(path)) for path in reports]
    kinds = {kind_of(data) for _, data in loaded}
    if len(kinds) > 1:
        raise InputError("give either JSON reports or SARIF logs, not both")
    if kinds == {"sarif"}:
        chosen = parse_outputs(outputs, default="sarif")
        if any(sink.format != "sarif" for sink in chosen):
            raise InputError("SARIF logs merge into SARIF only; merge the JSON reports for other formats")
        text = merge_sarif(loaded)
        report = Report()
        for _, data in loaded:
            for run in data["runs"]:
                report.findings.extend(_sarif_findings(run))
        for sink in chosen:
            if sink.file is None:
                click.echo(text, nl=False)
            else:
                write_text(sink.file, text, "sarif")
        ctx.exit(report.exit_code(fail_on))
    merged = merge_json(loaded)
    write(merged, parse_outputs(outputs, default="json"))
    ctx.exit(merged.exit_code(fail_on))


def _sarif_findings(run: dict) -> list:
    """Just enough of each SARIF result to decide the exit code: its level and whether it is waived."""
    from ..findings import Finding

    levels = {"error": "error", "warning": "warning", "note": "info"}
    return [Finding(rule=str(r.get("ruleId", "")), severity=levels.get(r.get("level", "warning"), "warning"),
                    message="", waived=bool(r.get("suppressions")))
            for r in run.get("results", []) if isinstance(r, dict)]
