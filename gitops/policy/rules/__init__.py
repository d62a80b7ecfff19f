"""The explicit registry of rule modules. A module is one rule (module-level ID) or a family (RULES:
rule classes or rule modules). The engine's registry (../registry.py) reads `MODULES`.

To add rules: write a module here and list it below. Data rules (shape-only) live in ../data/.
"""
from . import api_currency, delivery, health, images, metadata, ml, references, resources, scaling, security

MODULES = [resources, health, scaling, security, images, references, api_currency, metadata, delivery, ml]
