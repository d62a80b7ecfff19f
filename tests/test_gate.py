"""`--output FORMAT[=FILE]`: several outputs in one run, refused when ambiguous."""
from __future__ import annotations

import pytest

from gitops.errors import InputError
from gitops.check.gate import Sink, parse_outputs


def test_several_outputs_one_on_stdout():
    assert parse_outputs(["text", "markdown=c.md", "text=log.txt"]) == [
        Sink("text", None), Sink("markdown", "c.md"), Sink("text", "log.txt")]
    assert parse_outputs([]) == [Sink("text", None)]


@pytest.mark.parametrize("values,message", [
    (["text", "markdown"], "only one output can go to stdout"),
    (["markdown="], "expected FORMAT=FILE with a file name"),
    (["nope=x"], "unknown format 'nope'; expected one of text, markdown"),
])
def test_ambiguous_or_unknown_outputs_are_usage_errors(values, message):
    with pytest.raises(InputError, match=message):
        parse_outputs(values)
