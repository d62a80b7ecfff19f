"""Schema validation: bundled Kubernetes schemas, imported CRDs, CEL rules, deprecated APIs."""
from .builtin import supported_versions
from .validator import DEFAULT_EXTRA_CHECKS, Options, Outcome, Validator

__all__ = ["DEFAULT_EXTRA_CHECKS", "Options", "Outcome", "Validator", "supported_versions"]
