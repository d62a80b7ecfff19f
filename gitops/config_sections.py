"""Modules that add sections to gitops.yaml (config.SECTIONS / ENV_SETTINGS), imported once by config."""
from . import delivery  # noqa: F401  delivery: and environments.<env>.delivery
from .synth import cluster  # noqa: F401  clusters: and environments.<env>.cluster
