"""One module per command; this list is the registry (explicit, in help order)."""
from .check import check
from .diff import diff
from .policy import policy
from .rules import explain, rules
from .schemas import schemas
from .synth import synth
from .syncplan import sync_plan
from .validate import validate

COMMANDS = [synth, check, diff, validate, sync_plan, policy, schemas, rules, explain]
