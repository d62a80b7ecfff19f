"""Metadata: what tells people and tools who owns an object and where it goes."""
from . import (
    namespace_set,
    required_labels,
)

RULES = (
    namespace_set,
    required_labels,
)
