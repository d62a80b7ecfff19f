"""Policy rules, one module per rule (see ../api.py). The registry lives with the engine."""
