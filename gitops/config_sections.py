"""Modules that add sections to gitops.yaml (config.SECTIONS / ENV_SETTINGS), imported once by config."""
from .synth import cluster  # noqa: F401  clusters: and environments.<env>.cluster
