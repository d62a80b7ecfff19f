"""One module per command; this list is the registry (explicit, in help order)."""
from .check import check
from .policy import policy
from .rules import explain, rules
from .synth import synth

COMMANDS = [synth, check, policy, rules, explain]
