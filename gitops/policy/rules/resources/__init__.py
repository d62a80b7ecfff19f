"""Resources: what each container asks for and may use, so the scheduler can place it and it cannot
starve its neighbours. (GPUs: `gpu-whole-devices` in ml.py.)"""
from . import (
    cpu_limit,
    cpu_requests,
    ephemeral_storage,
    limits_not_below_requests,
    memory_limit,
    memory_requests,
)

RULES = (
    cpu_limit,
    cpu_requests,
    ephemeral_storage,
    limits_not_below_requests,
    memory_limit,
    memory_requests,
)
