"""Resources and their origins; reading and deterministic writing of manifest files."""
from .resource import Origin, Resource

__all__ = ["Origin", "Resource"]
