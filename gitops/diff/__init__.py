"""Resource-level diff of two manifest sets: the plan a pull request carries out."""
from .compare import ABSENT, ACTIONS, SYMBOLS, Change, FieldChange, Plan, compare, field_changes

__all__ = ["ABSENT", "ACTIONS", "SYMBOLS", "Change", "FieldChange", "Plan", "compare", "field_changes"]
