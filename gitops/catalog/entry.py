"""One catalog entry: everything a person (or GitHub code scanning) needs to know about a finding id."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Where the project's documentation is published; entries link to their section of it.
DOCS = "https://github.com/acme/gitops/blob/main/docs"
STAGES = ("manifest", "schema", "api-server", "admission", "policy", "sync", "waiver")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str  # one line: what a clean object satisfies
    description: str  # Markdown: what is checked and why
    remediation: str  # how to fix a finding, in one line
    severity: str  # the default; policies/policy.yaml may change it per environment
    url: str  # where it is documented
    waivable: bool  # False: the API server (or the reader) refuses it whatever a waiver says
    stage: str  # which stage emits it (see STAGES)
    family: str = ""
    examples: tuple[tuple[str, str], ...] = ()  # ("Fails" | "Passes", YAML text)
    options: dict[str, Any] = field(default_factory=dict)  # option name -> default (policy rules)

    def example(self, label: str) -> str | None:
        return next((text for name, text in self.examples if name == label), None)
