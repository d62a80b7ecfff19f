"""Shape-only rules as data: one YAML file per rule, holding a JSON Schema a passing object satisfies."""
