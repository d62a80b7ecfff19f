"""Schema validation: bundled Kubernetes schemas, imported CRDs, CEL rules, deprecated APIs."""
from .builtin import supported_versions
from .validator import EXTRA_CHECKS, Options, Outcome, Validator

__all__ = ["EXTRA_CHECKS", "Options", "Outcome", "Validator", "supported_versions"]
