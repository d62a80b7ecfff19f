"""Every module that adds a section to gitops.yaml, imported before a config is read."""
from . import delivery  # noqa: F401  (delivery, environments.<env>.delivery)
