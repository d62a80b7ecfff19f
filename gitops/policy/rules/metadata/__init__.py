"""Metadata: what tells people and tools who owns an object and where it goes."""
from . import (
    default_namespace,
    instance_label,
    namespace_set,
    required_labels,
)

RULES = (
    default_namespace,
    instance_label,
    namespace_set,
    required_labels,
)
