"""Schema validation as a stage of the CI gate (`gitops check` and the pull-request delta).

Runs on the synthesized resources with the project's settings (Kubernetes version, strict,
`paths.schemas`). Deprecated and removed apiVersions are left to the policy rules of the same
names when the policy engine runs, so a finding is not reported twice.
"""
from __future__ import annotations

import os

from ..config import Config
from ..findings import Finding, ValidationReport
from ..manifests.resource import Resource
from .run import validate_resources
from .validator import Options, Validator

# Rule ids another stage reports for the same facts (gitops.policy.rules.api_currency).
OWNED_ELSEWHERE = frozenset({"api-removed", "api-deprecated"})


def schema_stage(config: Config, resources: list[Resource], base: list[Resource] | None = None,
                 on_disk: bool = True, skip_rules: frozenset[str] = OWNED_ELSEWHERE) -> list[Finding]:
    schemas = config.path(config.schemas_dir)
    options = Options(kubernetes_version=config.kubernetes_version, strict=True,
                      schemas_dir=schemas if os.path.isdir(schemas) else None, locate_lines=on_disk)
    report = ValidationReport()
    validate_resources(Validator(options), resources, report)
    return [f for f in report.findings if f.rule not in skip_rules]
