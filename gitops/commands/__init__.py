"""One module per command; this list is the registry (explicit, in help order)."""
from .check import check
from .synth import synth

COMMANDS = [synth, check]
