"""AppSpec@env -> cdk8s charts -> rendered files."""
from .context import Target
from .engine import BUILDERS, Cache, Rendered, run

__all__ = ["BUILDERS", "Cache", "Rendered", "Target", "run"]
