"""One catalog entry: everything a person (or GitHub code scanning) needs to know about a finding id."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

# The documentation is the docs/ folder of the gitops source repository: entries link to their
# section of it relative to that repository ("docs/rules.md#image-tag"), which is true wherever the
# tool runs. GITOPS_DOCS_URL (the published docs/ folder, such as
# https://github.com/<owner>/<repo>/blob/main/docs) makes the links absolute where a URL is wanted:
# SARIF helpUri and informationUri, `gitops explain`. Links to kubernetes.io are absolute already.
DOCS = "docs"
DOCS_URL_VARIABLE = "GITOPS_DOCS_URL"


def docs_url() -> str | None:
    """The published docs/ folder, when GITOPS_DOCS_URL names one (https only)."""
    base = os.environ.get(DOCS_URL_VARIABLE, "").strip().rstrip("/")
    return base if base.startswith("https://") else None


def absolute(url: str) -> str | None:
    """The link as an absolute URL: as it is when absolute, under GITOPS_DOCS_URL when set, else None."""
    if url.startswith(("https://", "http://")):
        return url
    base = docs_url()
    if base is None:
        return None
    return f"{base}/{url[len(DOCS) + 1:]}" if url.startswith(DOCS + "/") else f"{base}/{url}"


def shown(url: str) -> str:
    """The link for a reader: absolute when it can be, else the path in the gitops repository."""
    return absolute(url) or url
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
