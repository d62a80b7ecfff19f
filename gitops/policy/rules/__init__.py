"""The explicit list of policy rules: one module per rule, in one folder per family.

To add a rule, write `<family>/<rule_id>.py` (the contract is in ../api.py) and list it in that
family's `__init__.py`; a new family is a folder listed in `FAMILIES` below.
"""
from . import (
    api_currency,
    delivery,
    health,
    images,
    metadata,
    ml,
    network,
    queueing,
    rbac,
    references,
    resources,
    scaling,
    security,
)

FAMILIES = (resources, health, scaling, security, rbac, network, images, references, api_currency, metadata, delivery,
            ml, queueing)
MODULES = tuple(rule for family in FAMILIES for rule in family.RULES)
