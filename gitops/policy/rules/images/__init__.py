"""Images: every pod runs an image that is pinned, and comes from a registry you trust."""
from . import (
    allowed_registries,
    image_digest,
    image_pull_policy,
    image_tag,
)

RULES = (
    allowed_registries,
    image_digest,
    image_pull_policy,
    image_tag,
)
