"""One module per command; this list is the registry (explicit, in help order)."""
from .check import check
from .diff import diff
from .synth import synth

COMMANDS = [synth, check, diff]
